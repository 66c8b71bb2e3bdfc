package io.kasha.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Progress;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.schemas.FailureKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessEntrypointTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path SCRIPTS = scripts();

  @TempDir Path checkpointOut;

  private final List<Progress> progress = new CopyOnWriteArrayList<>();

  @Test
  void completesWithTheMetricsOfTheReportThatReachedTheTarget() throws Exception {
    final SegmentOutcome outcome = python("train.py").run(segment(Map.of("lr", 1.0), 0, 3), progress::add, new Cancellation());

    assertThat(outcome).isEqualTo(new SegmentOutcome.Completed(3, Map.of("loss", 0.125)));
    assertThat(progress).extracting(Progress::resource).containsExactly(1L, 2L, 3L);
    assertThat(progress.get(0).metrics()).containsEntry("loss", 0.5);
  }

  @Test
  void passesTheJobThroughTheProtocolEnvironment() throws Exception {
    final Map<String, Object> params = new HashMap<>();
    params.put("lr", 0.01);
    params.put("layers", 3L);
    params.put("batch_norm", true);
    params.put("optimizer", "adam");
    params.put("dropout", null);
    final ProcessEntrypoint entrypoint = new ProcessEntrypoint("env", List.of("python3", "environment.py"), SCRIPTS,
        Map.of("EXTRA", "from the registry"), Duration.ofSeconds(30));

    final SegmentOutcome outcome = entrypoint.run(segment(params, 2, 5), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Completed.class);
    final Map<String, String> seen = JSON.readValue(
        checkpointOut.resolve("environment.json").toFile(), new TypeReference<Map<String, String>>() {});
    assertThat(seen)
        .containsEntry("KASHA_TRIAL_ID", "trial-7")
        .containsEntry("KASHA_STUDY_ID", "study-1")
        .containsEntry("KASHA_RESOURCE_FROM", "2")
        .containsEntry("KASHA_RESOURCE_TO", "5")
        .containsEntry("KASHA_RESOURCE_NAME", "epoch")
        .containsEntry("KASHA_METRIC", "loss")
        .containsEntry("KASHA_CHECKPOINT_IN", "")
        .containsEntry("KASHA_CHECKPOINT_OUT", checkpointOut.toString())
        .containsEntry("EXTRA", "from the registry")
        .containsEntry("cwd", SCRIPTS.toRealPath().toString());
    assertThat(JSON.readValue(seen.get("KASHA_PARAMS"), new TypeReference<Map<String, Object>>() {}))
        .containsEntry("lr", 0.01)
        .containsEntry("layers", 3)
        .containsEntry("batch_norm", true)
        .containsEntry("optimizer", "adam")
        .containsEntry("dropout", null)
        .hasSize(5);
  }

  @Test
  void passesAParameterFullOfShellSyntaxAsDataAndNeverRunsIt(@TempDir final Path markers) throws Exception {
    final Map<String, Object> params = Map.of(
        "name", "x; touch " + markers.resolve("semicolon") + "; echo",
        "substitution", "$(touch " + markers.resolve("substitution") + ")",
        "backticks", "`touch " + markers.resolve("backticks") + "`",
        "pipe", "a | touch " + markers.resolve("pipe"));
    final ProcessEntrypoint entrypoint = new ProcessEntrypoint("echo", List.of("sh", "echo-params.sh"), SCRIPTS,
        Map.of(), Duration.ofSeconds(30));

    final SegmentOutcome outcome = entrypoint.run(segment(params, 0, 1), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Completed.class);
    assertThat(markers).isEmptyDirectory();
    assertThat(JSON.readValue(checkpointOut.resolve("params.json").toFile(), new TypeReference<Map<String, Object>>() {}))
        .isEqualTo(params);
  }

  @Test
  void failsWithTheExitCodeAndTheLastLinesOfStderr() throws Exception {
    final SegmentOutcome outcome = python("train.py").run(
        segment(Map.of("exit", 3L, "stderr_lines", 30L), 0, 2), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Failed.class);
    final SegmentOutcome.Failed failed = (SegmentOutcome.Failed) outcome;
    assertThat(failed.kind()).isEqualTo(FailureKind.EXIT_CODE);
    assertThat(failed.message()).startsWith("exit code 3");
    final List<String> stderrLines = failed.message().lines().filter(line -> line.startsWith("error line")).toList();
    assertThat(stderrLines).hasSize(ProcessEntrypoint.STDERR_TAIL_LINES);
    assertThat(stderrLines.get(0)).isEqualTo("error line 10");
    assertThat(stderrLines.get(stderrLines.size() - 1)).isEqualTo("error line 29");
  }

  @Test
  void exitingWithoutReachingTheTargetIsNoResult() throws Exception {
    final SegmentOutcome outcome = python("train.py").run(segment(Map.of("stop_at", 2L), 0, 3), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) outcome).kind()).isEqualTo(FailureKind.NO_RESULT);
    assertThat(((SegmentOutcome.Failed) outcome).message()).contains("last report: 2");
    assertThat(progress).extracting(Progress::resource).containsExactly(1L, 2L);
  }

  @Test
  void skipsMalformedReportLinesAndKeepsTheValidOnes() throws Exception {
    final SegmentOutcome outcome = python("train.py").run(segment(Map.of("malformed", true), 0, 2), progress::add, new Cancellation());

    assertThat(outcome).isEqualTo(new SegmentOutcome.Completed(2, Map.of("loss", 0.25)));
    assertThat(progress).extracting(Progress::resource).containsExactly(1L, 2L);
  }

  @Test
  void killsTheWholeProcessTreeOnTimeout() throws Exception {
    // the script starts its child and records its pid at once, then waits for ever: the timeout leaves it
    // ample time for that on a loaded machine, and still ends it
    final ProcessEntrypoint entrypoint = new ProcessEntrypoint("sleepy", List.of("sh", "sleep-with-child.sh"), SCRIPTS,
        Map.of(), Duration.ofSeconds(5));

    final SegmentOutcome outcome = entrypoint.run(segment(Map.of(), 0, 5), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) outcome).kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(((SegmentOutcome.Failed) outcome).message()).contains("PT5S");
    assertExited(childPid());
  }

  @Test
  void cancellationKillsTheProcessTree() throws Exception {
    final ProcessEntrypoint entrypoint = new ProcessEntrypoint("sleepy", List.of("sh", "sleep-with-child.sh"), SCRIPTS,
        Map.of(), Duration.ofMinutes(5));
    final Cancellation cancellation = new Cancellation();
    final CompletableFuture<Progress> firstReport = new CompletableFuture<>();
    final CompletableFuture<SegmentOutcome> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return entrypoint.run(segment(Map.of(), 0, 5), firstReport::complete, cancellation);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    firstReport.get(30, TimeUnit.SECONDS);

    cancellation.cancel();

    final SegmentOutcome ended = outcome.get(30, TimeUnit.SECONDS);
    assertThat(ended).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) ended).kind()).isEqualTo(FailureKind.CANCELLED);
    assertExited(childPid());
  }

  @Test
  void aProgramThatCannotStartIsAnError() throws Exception {
    final ProcessEntrypoint entrypoint = new ProcessEntrypoint("missing", List.of("no-such-program-kasha"), SCRIPTS,
        Map.of(), Duration.ofSeconds(30));

    final SegmentOutcome outcome = entrypoint.run(segment(Map.of(), 0, 1), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) outcome).kind()).isEqualTo(FailureKind.ERROR);
    assertThat(((SegmentOutcome.Failed) outcome).message()).contains("cannot start no-such-program-kasha");
  }

  @Test
  void resumesFromACheckpointStoredByTheDirectoryStore(@TempDir final Path root) throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final ProcessEntrypoint train = python("train.py");
    final Path firstOut = store.allocate("study-1", "trial-7");
    final SegmentOutcome first = train.run(segment(Map.of("lr", 1.0), 0, 2, Optional.empty(), firstOut), progress::add, new Cancellation());
    final Optional<URI> stored = store.save("study-1", "trial-7", 2, firstOut);

    final Path secondOut = store.allocate("study-1", "trial-7");
    final SegmentOutcome second = train.run(
        segment(Map.of("lr", 1.0), 2, 4, Optional.of(store.resolve(stored.orElseThrow())), secondOut),
        progress::add, new Cancellation());

    assertThat(first).isEqualTo(new SegmentOutcome.Completed(2, Map.of("loss", 0.25)));
    assertThat(stored).hasValue(root.resolve("study-1/trial-7/2").toUri());
    assertThat(second).isEqualTo(new SegmentOutcome.Completed(4, Map.of("loss", 0.0625)));
  }

  private Segment segment(final Map<String, Object> params, final long from, final long to) {
    return segment(params, from, to, Optional.empty(), checkpointOut);
  }

  private static Segment segment(
      final Map<String, Object> params, final long from, final long to, final Optional<Path> in, final Path out) {
    return new Segment("study-1", "trial-7", "job-1", params, "loss", "epoch", from, to, in, out);
  }

  private static ProcessEntrypoint python(final String script) {
    return new ProcessEntrypoint(script, List.of("python3", script), SCRIPTS, Map.of(), Duration.ofSeconds(30));
  }

  private long childPid() throws Exception {
    return Long.parseLong(Files.readString(checkpointOut.resolve("child.pid")).strip());
  }

  private static void assertExited(final long pid) throws Exception {
    final Optional<ProcessHandle> child = ProcessHandle.of(pid);
    if (child.isPresent()) {
      child.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  private static Path scripts() {
    try {
      return Path.of(ProcessEntrypointTest.class.getResource("/scripts").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
