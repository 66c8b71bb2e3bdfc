package io.kasha.examples.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code python/train.py} as a real process, the way a runner does, and reads its output. */
class TrainScriptTest {

  private static final Path PROGRAM_DIR = Path.of("python");
  private static final String PREFIX = "kasha: ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PARAMS = "{\"learning_rate\": 0.1, \"l2\": 0.001}";

  @TempDir Path dir;

  /** One finished run of the program. */
  private record Run(int exitCode, List<String> stdout, String stderr) {

    List<JsonNode> reports() throws IOException {
      final List<JsonNode> reports = new ArrayList<>();
      for (final String line : stdout) {
        assertThat(line).startsWith(PREFIX);
        reports.add(JSON.readTree(line.substring(PREFIX.length())));
      }
      return reports;
    }
  }

  @BeforeAll
  static void needsPython() {
    assumeTrue(pythonIsInstalled(), "python3 is not installed");
  }

  @Test
  void secondSegmentResumesFromTheFirstSegmentsCheckpoint() throws Exception {
    final Run first = run(segment(0, 3, "", dir.resolve("epoch-3")));
    final Run second =
        run(segment(3, 9, dir.resolve("epoch-3").toString(), dir.resolve("epoch-9")));
    final Run straight = run(segment(0, 9, "", dir.resolve("straight")));

    assertThat(first.exitCode()).as(first.stderr()).isZero();
    assertThat(second.exitCode()).as(second.stderr()).isZero();
    assertThat(resources(first.reports())).containsExactly(1L, 2L, 3L);
    assertThat(resources(second.reports())).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(dir.resolve("epoch-3").resolve("state.json")).isRegularFile();
    assertThat(dir.resolve("epoch-9").resolve("state.json")).isRegularFile();
    assertThat(second.stderr()).contains("resuming at epoch 3");
    assertThat(second.reports()).isEqualTo(straight.reports().subList(3, 9));
  }

  @Test
  void reportsAreProtocolLinesWithAFiniteValidationLoss() throws Exception {
    final Run run = run(segment(0, 2, "", dir.resolve("out")));

    for (final JsonNode report : run.reports()) {
      assertThat(report.get("resource").isIntegralNumber()).isTrue();
      assertThat(report.get("metrics").get("val_loss").isNumber()).isTrue();
      assertThat(report.get("metrics").get("val_loss").asDouble()).isFinite().isPositive();
    }
    assertThat(run.reports().get(1).get("metrics").get("val_loss").asDouble())
        .isLessThan(run.reports().get(0).get("metrics").get("val_loss").asDouble());
  }

  @Test
  void missingVariableIsNamedOnStderrWithExitCodeTwo() throws Exception {
    final Map<String, String> env = segment(0, 3, "", dir.resolve("out"));
    env.remove("KASHA_RESOURCE_TO");

    final Run run = run(env);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("KASHA_RESOURCE_TO");
    assertThat(run.stdout()).isEmpty();
  }

  private static Map<String, String> segment(
      final long from, final long to, final String checkpointIn, final Path checkpointOut) {
    final Map<String, String> env = new HashMap<>();
    env.put("KASHA_TRIAL_ID", "trial-under-test");
    env.put("KASHA_PARAMS", PARAMS);
    env.put("KASHA_RESOURCE_FROM", Long.toString(from));
    env.put("KASHA_RESOURCE_TO", Long.toString(to));
    env.put("KASHA_CHECKPOINT_IN", checkpointIn);
    env.put("KASHA_CHECKPOINT_OUT", checkpointOut.toString());
    return env;
  }

  private Run run(final Map<String, String> env) throws Exception {
    final Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    final ProcessBuilder builder =
        new ProcessBuilder("python3", "train.py")
            .directory(PROGRAM_DIR.toFile())
            .redirectError(stderr.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KASHA_"));
    builder.environment().putAll(env);
    final Process process = builder.start();
    final List<String> stdout;
    try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
      stdout = reader.lines().toList();
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("train.py finished").isTrue();
    return new Run(process.exitValue(), stdout, Files.readString(stderr));
  }

  private static List<Long> resources(final List<JsonNode> reports) {
    return reports.stream().map(report -> report.get("resource").asLong()).toList();
  }

  private static boolean pythonIsInstalled() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
