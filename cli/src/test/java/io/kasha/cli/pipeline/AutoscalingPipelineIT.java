package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.cli.metrics.MonitoredScheduler;
import io.kasha.schemas.StudyEvent;
import io.kasha.spec.Limits;
import io.kasha.topology.SchedulerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test plays the autoscaler, as KEDA's {@code metrics-api} trigger would with a target of one job
 * per runner: every second it reads the scheduler's {@code /jobs-waiting} and starts runner processes
 * ({@code kasha runner --exit-when-idle 5s}, one slot each) until there are as many as jobs wait, up to
 * {@value #MAX_RUNNERS}; idle runners exit by themselves. The study must complete on runners that
 * came and went: from none to at least two and back to none.
 */
class AutoscalingPipelineIT {

  private static final int MAX_RUNNERS = 3;
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  @TempDir
  Path home;

  @Test
  void runnersStartedWhileJobsWaitFinishTheStudyAndAllExitOnceIdle() throws Exception {
    final List<Process> runners = new ArrayList<>();
    final Map<Process, String> names = new java.util.HashMap<>();
    final List<String> exits = new ArrayList<>();
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "autoscaled", home);
         MonitoredScheduler scheduler = new MonitoredScheduler(pipeline.topics, SchedulerApp.config(pipeline.bootstrap,
             pipeline.name + "-scheduler", home.resolve("state"), Map.of()), Limits.DEFAULTS,
             pipeline.name + "-runners", 0)) {
      final Endpoints endpoints = new Endpoints(scheduler.port());
      scheduler.start();
      Endpoints.await(endpoints::health, status -> status == 200, TIMEOUT, "scheduler ready");

      pipeline.submit("s1", Pipeline.spec().setParallelism(4).setMaxTrials(12).setParams(List.of(
          Pipeline.spec().getParams().get(0), Pipeline.sleepMs(150))).build());
      final AtomicReference<List<StudyEvent>> ended = new AtomicReference<>();
      final Thread watching = new Thread(() -> ended.set(pipeline.awaitEnd("s1", TIMEOUT)), "study-watch");
      watching.setDaemon(true);
      watching.start();

      final List<String> timeline = new ArrayList<>();
      int mostAlive = 0;
      int started = 0;
      final long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        runners.removeIf(runner -> {
          if (runner.isAlive()) {
            return false;
          }
          exits.add(names.get(runner) + " exit " + runner.exitValue() + " (" + lastLine(names.get(runner)) + ")");
          return true;
        });
        final long waiting = endpoints.jobsWaiting();
        if (ended.get() != null && waiting == 0 && runners.isEmpty()) {
          break;
        }
        assertThat(System.nanoTime()).as("study done and runners gone in time; %s", timeline).isLessThan(deadline);
        final long wanted = Math.min(MAX_RUNNERS, Math.max(0, waiting));
        while (runners.size() < wanted) {
          final String name = "runner-" + ++started;
          final Process runner = startRunner(pipeline, name);
          names.put(runner, name);
          runners.add(runner);
        }
        mostAlive = Math.max(mostAlive, runners.size());
        timeline.add(waiting + "/" + runners.size());
        Thread.sleep(1000);
      }
      System.out.println("autoscaler: waiting jobs/runners alive, once a second: " + String.join(" ", timeline));
      System.out.println("autoscaler: " + started + " runner processes started, at most " + mostAlive + " at once; "
          + String.join("; ", exits));
      assertThat(exits).hasSize(started).allMatch(exit -> exit.contains(" exit 0 "));

      final List<StudyEvent> events = ended.get();
      assertThat(events.get(events.size() - 1).getStatus()).isEqualTo("COMPLETED");
      assertThat(mostAlive).as("runners at once").isGreaterThanOrEqualTo(2);
      assertThat(runners).isEmpty();
      assertThat(endpoints.metrics().value("kasha_jobs_waiting")).isZero();
    } finally {
      for (final Process runner : runners) {
        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The runner's last line on its console: how many jobs it did. */
  private String lastLine(final String runnerId) {
    try {
      final List<String> lines = java.nio.file.Files.readAllLines(home.resolve(runnerId + ".log"));
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** A real {@code kasha runner} process, on this JVM's class path (with the test objective). */
  private Process startRunner(final Pipeline pipeline, final String runnerId) throws Exception {
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.kasha.schemas", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.kasha.cli.Kasha",
        "runner", "--bootstrap-server", pipeline.bootstrap, "--topic-prefix", pipeline.name + ".",
        "--group-id", pipeline.name + "-runners", "--slots", "1", "--exit-when-idle", "5s",
        "--checkpoint-dir", home.resolve("checkpoints").toString(), "--runner-id", runnerId));
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolve(runnerId + ".log").toFile());
    builder.environment().put("KASHA_HOME", home.resolve(runnerId).toString());
    return builder.start();
  }
}
