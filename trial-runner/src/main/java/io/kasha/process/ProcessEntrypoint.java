package io.kasha.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Entrypoint;
import io.kasha.entrypoint.Progress;
import io.kasha.entrypoint.ProgressListener;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.schemas.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered training program run as a child process, in any language, through the process
 * protocol.
 *
 * <p>The command is the registered {@code argv} only, started without a shell; the job's data
 * reaches the process through its environment: {@code KASHA_TRIAL_ID}, {@code KASHA_STUDY_ID},
 * {@code KASHA_PARAMS} (a JSON object), {@code KASHA_RESOURCE_FROM}, {@code KASHA_RESOURCE_TO},
 * {@code KASHA_RESOURCE_NAME}, {@code KASHA_METRIC}, {@code KASHA_CHECKPOINT_IN} (empty when there
 * is none) and {@code KASHA_CHECKPOINT_OUT}, on top of the runner's environment and the registered
 * extra variables. The process reports on stdout with {@link ProtocolLine}s; every other line of
 * stdout and stderr is logged (logger {@value #OUTPUT_LOGGER}), never interpreted.
 *
 * <p>Outcomes: exit 0 after a report with {@code resource >= resourceTo} completes the segment with
 * that report's metrics; exit 0 without one is {@code NO_RESULT}; another exit code is {@code
 * EXIT_CODE} with the last lines of stderr; no exit within the timeout kills the process tree
 * ({@code TIMEOUT}); cancellation kills it too ({@code CANCELLED}).
 */
public final class ProcessEntrypoint implements Entrypoint {

  public static final String OUTPUT_LOGGER = "io.kasha.process.output";

  static final int STDERR_TAIL_LINES = 20;
  static final int MAX_LINE_CHARS = 64 * 1024;
  private static final int MAX_TAIL_LINE_CHARS = 300;
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final Duration PUMP_DRAIN = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(ProcessEntrypoint.class);
  private static final Logger OUTPUT = LoggerFactory.getLogger(OUTPUT_LOGGER);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final List<String> argv;
  private final Path workdir;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * @param argv the command and its arguments, never run through a shell
   * @param environment extra variables, added to the runner's own environment
   * @param timeout the longest a segment may run
   */
  public ProcessEntrypoint(
      final String name,
      final List<String> argv,
      final Path workdir,
      final Map<String, String> environment,
      final Duration timeout) {
    this.name = Objects.requireNonNull(name, "name");
    this.argv = List.copyOf(argv);
    this.workdir = Objects.requireNonNull(workdir, "workdir");
    this.environment = Map.copyOf(environment);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (this.argv.isEmpty() || this.argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("entrypoint '" + name + "': argv must name a program");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("entrypoint '" + name + "': timeout must be positive");
    }
  }

  @Override
  public String name() {
    return name;
  }

  public List<String> argv() {
    return argv;
  }

  public Path workdir() {
    return workdir;
  }

  /** The registered extra variables: their values may be secrets and are never logged. */
  public Map<String, String> environment() {
    return environment;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public SegmentOutcome run(
      final Segment segment, final ProgressListener progress, final Cancellation cancellation)
      throws InterruptedException {
    final ProcessBuilder builder = new ProcessBuilder(argv).directory(workdir.toFile());
    builder.environment().putAll(environment);
    builder.environment().putAll(protocolEnvironment(segment));
    final Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return SegmentOutcome.failed(
          FailureKind.ERROR, "cannot start " + argv.get(0) + " in " + workdir + ": " + e.getMessage());
    }
    LOG.info("trial {}: started {} (pid {})", segment.trialId(), name, process.pid());
    closeQuietly(process);
    final Reports reports = new Reports(segment, progress);
    final Deque<String> stderrTail = new ArrayDeque<>();
    final Thread stdout = pump(process.getInputStream(), segment.trialId() + "-stdout", reports::onLine);
    final Thread stderr =
        pump(process.getErrorStream(), segment.trialId() + "-stderr", line -> {
          OUTPUT.info("[{} stderr] {}", segment.trialId(), line);
          synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_TAIL_LINES) {
              stderrTail.removeFirst();
            }
            stderrTail.addLast(truncate(line, MAX_TAIL_LINE_CHARS));
          }
        });
    try {
      awaitExitOrCancel(process, cancellation);
      if (process.isAlive()) {
        ProcessTree.kill(process, KILL_GRACE);
        drain(stdout, stderr);
        return cancellation.isCancelled()
            ? SegmentOutcome.failed(FailureKind.CANCELLED, "cancelled by the runner")
            : SegmentOutcome.failed(FailureKind.TIMEOUT, "no exit within " + timeout + "; killed");
      }
      drain(stdout, stderr);
    } catch (InterruptedException e) {
      ProcessTree.kill(process, Duration.ZERO);
      throw e;
    }
    final int exitCode = process.exitValue();
    if (exitCode != 0) {
      synchronized (stderrTail) {
        return SegmentOutcome.failed(FailureKind.EXIT_CODE, exitMessage(exitCode, stderrTail));
      }
    }
    return reports.outcome();
  }

  private void awaitExitOrCancel(final Process process, final Cancellation cancellation)
      throws InterruptedException {
    try {
      CompletableFuture.anyOf(process.onExit(), cancellation.future())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // timed out: the caller finds the process still alive
    }
  }

  static Map<String, String> protocolEnvironment(final Segment segment) {
    final Map<String, String> env = new LinkedHashMap<>();
    env.put("KASHA_TRIAL_ID", segment.trialId());
    env.put("KASHA_STUDY_ID", segment.studyId());
    env.put("KASHA_PARAMS", paramsJson(segment.params()));
    env.put("KASHA_RESOURCE_FROM", Long.toString(segment.resourceFrom()));
    env.put("KASHA_RESOURCE_TO", Long.toString(segment.resourceTo()));
    env.put("KASHA_RESOURCE_NAME", segment.resourceName());
    env.put("KASHA_METRIC", segment.metric());
    env.put("KASHA_CHECKPOINT_IN", segment.checkpointIn().map(Path::toString).orElse(""));
    env.put("KASHA_CHECKPOINT_OUT", segment.checkpointOut().toString());
    return env;
  }

  private static String paramsJson(final Map<String, Object> params) {
    try {
      return JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write parameters as JSON", e);
    }
  }

  private static Thread pump(final InputStream in, final String name, final Consumer<String> onLine) {
    final Thread thread =
        new Thread(() -> {
          final LineReader reader = new LineReader(in, MAX_LINE_CHARS);
          try (in) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
              onLine.accept(line);
            }
          } catch (IOException e) {
            LOG.debug("{}: output closed: {}", name, e.getMessage());
          }
        }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits for the output of an exited process to be read; a lingering grandchild is not waited for. */
  private static void drain(final Thread stdout, final Thread stderr) throws InterruptedException {
    stdout.join(PUMP_DRAIN.toMillis());
    stderr.join(PUMP_DRAIN.toMillis());
  }

  private static void closeQuietly(final Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      LOG.debug("cannot close the stdin of pid {}: {}", process.pid(), e.getMessage());
    }
  }

  private static String exitMessage(final int exitCode, final Deque<String> stderrTail) {
    if (stderrTail.isEmpty()) {
      return "exit code " + exitCode + " (stderr empty)";
    }
    return "exit code " + exitCode + "; last lines of stderr:\n" + String.join("\n", stderrTail);
  }

  private static String truncate(final String line, final int max) {
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }

  /** Parses the stdout lines of one segment and remembers the report that reached the target. */
  private static final class Reports {

    private final Segment segment;
    private final ProgressListener listener;
    private final AtomicReference<Progress> last = new AtomicReference<>();
    private final AtomicReference<Progress> finalReport = new AtomicReference<>();

    Reports(final Segment segment, final ProgressListener listener) {
      this.segment = segment;
      this.listener = listener;
    }

    void onLine(final String line) {
      final Optional<Progress> report;
      try {
        report = ProtocolLine.parse(line);
      } catch (MalformedProtocolLineException e) {
        LOG.warn("trial {}: skipped a malformed report line ({}): {}",
            segment.trialId(), e.getMessage(), truncate(line, MAX_TAIL_LINE_CHARS));
        return;
      }
      if (report.isEmpty()) {
        OUTPUT.debug("[{} stdout] {}", segment.trialId(), line);
        return;
      }
      final Progress progress = report.get();
      last.set(progress);
      if (progress.resource() >= segment.resourceTo()) {
        finalReport.set(progress);
      }
      try {
        listener.progress(progress);
      } catch (RuntimeException e) {
        LOG.warn("trial {}: progress listener failed: {}", segment.trialId(), e.toString());
      }
    }

    SegmentOutcome outcome() {
      final Progress reached = finalReport.get();
      if (reached != null) {
        return SegmentOutcome.completed(reached);
      }
      final Progress seen = last.get();
      return SegmentOutcome.failed(
          FailureKind.NO_RESULT,
          "exit code 0 without a report of " + segment.resourceName() + " >= " + segment.resourceTo()
              + (seen == null ? " (no report)" : " (last report: " + seen.resource() + ")"));
    }
  }
}
