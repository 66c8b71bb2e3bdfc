package io.kasha.cli;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.cli.study.StudyFile;
import io.kasha.cli.watch.EventLog;
import io.kasha.cli.watch.ProgressView;
import io.kasha.cli.watch.StudyJson;
import io.kasha.cli.watch.StudyProjection;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.runner.RunnerConfig;
import io.kasha.runner.TrialRunner;
import io.kasha.schemas.StudyEvent;
import io.kasha.topology.SchedulerApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a study end to end on this machine.",
        "",
        "Starts a Kafka broker (embedded, unless --bootstrap-server), the scheduler and N runner threads, "
            + "submits the study, shows its progress, then prints the rung ladder and the leaderboard.",
        "",
        "Entrypoints: the Java objectives on the classpath, plus those of the entrypoints file "
            + "(--entrypoints, or entrypoints.yaml next to the study file).",
        "",
        "Exit status: 0 when the study ends, 2 when it is rejected, 1 on an error, 130 on Ctrl-C."})
final class RunCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
  Path studyFile;

  @Option(names = "--runners", paramLabel = "N",
      description = "Runner threads (default: the study file's 'runners', else its parallelism).")
  Integer runners;

  @Option(names = "--entrypoints", paramLabel = "FILE",
      description = "Runner-side entrypoints file (default: entrypoints.yaml next to the study file, if any).")
  Path entrypoints;

  @Option(names = "--study-id", paramLabel = "ID", description = "Study id (default: the study's name and the time).")
  String studyId;

  @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the study's summary as JSON.")
  Path summaryJson;

  @Option(names = "--events-json", paramLabel = "FILE",
      description = "Write the study's audit log, one JSON object a line (as 'kasha events ID --json').")
  Path eventsJson;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    final StudyFile study = SubmitCommand.readValid(studyFile);
    if (study == null) {
      return 2;
    }
    final EntrypointRegistry registry = registry();
    if (registry.find(study.spec().getEntrypoint()).isEmpty()) {
      Console.error(studyFile + ": entrypoint '" + study.spec().getEntrypoint() + "' is not registered here; known: "
          + registry.names() + ". Register it in an entrypoints file (--entrypoints FILE).");
      return 2;
    }
    final String id = studyId != null ? studyId : StudyCommands.newStudyId(study.spec().getName());
    final int threads = runners != null ? runners : study.runners();
    final long start = System.nanoTime();
    final StudyProjection progress = new StudyProjection(id);
    final List<StudyEvent> events = new ArrayList<>();
    final AtomicBoolean interrupted = new AtomicBoolean();
    final CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      interrupted.set(true);
      try {
        closed.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kasha-run-shutdown"));

    try {
      return runStudy(study, registry, id, threads, start, progress, events, interrupted);
    } finally {
      closed.countDown();
    }
  }

  private int runStudy(final StudyFile study, final EntrypointRegistry registry, final String id, final int threads,
      final long start,
      final StudyProjection progress, final List<StudyEvent> events, final AtomicBoolean interrupted)
      throws Exception {
    try (ClusterOptions.Connection connection = cluster.connect();
         SchedulerApp scheduler = new SchedulerApp(connection.topics(), SchedulerApp.config(
             connection.bootstrapServers(), SchedulerApp.DEFAULT_APPLICATION_ID,
             cluster.home().resolve("scheduler-state"), Map.of()));
         TrialRunner runner = new TrialRunner(RunnerConfig.builder(connection.bootstrapServers(), registry,
                 new DirectoryCheckpointStore(cluster.home().resolve("checkpoints")))
             .topics(connection.topics()).slots(threads).runnerId("local").build());
         EventLog log = new EventLog(connection.bootstrapServers(), connection.topics()).fromEnd()) {
      final AtomicReference<Throwable> runnerFailure = new AtomicReference<>();
      final Thread runnerThread = new Thread(() -> {
        try {
          runner.run();
        } catch (RuntimeException e) {
          runnerFailure.set(e);
        }
      }, "kasha-runner");
      scheduler.start();
      runnerThread.start();
      StudyCommands.create(connection.bootstrapServers(), connection.topics(), id, study.spec());
      Console.info("Study " + id + ": " + study.spec().getEntrypoint() + ", " + threads + " runner threads on "
          + connection.bootstrapServers() + " (logs in " + cluster.home().resolve("logs") + ")");

      final ProgressView view = new ProgressView(System.out, System.console() != null);
      log.read(id, true, event -> {
        events.add(event);
        progress.apply(event);
        view.update(progress, seconds(start));
        return !progress.ended();
      }, () -> !interrupted.get() && healthy(scheduler, runnerFailure));
      if (interrupted.get()) {
        System.out.println();
        Console.info("Interrupted: stopping the runners and the scheduler. Study " + id + " is kept; it goes on "
            + "when a scheduler and runners run again on this broker (kasha watch " + id + ").");
        return 130;
      }
      view.finish(progress, seconds(start));
      if (!progress.ended()) {
        Console.error(runnerFailure.get() != null ? "the runner failed: " + runnerFailure.get().getMessage()
            : "the scheduler stopped (" + scheduler.state() + "); see " + cluster.home().resolve("logs"));
        return 1;
      }
      runner.stop();
    }
    writeOutputs(progress, events, seconds(start));
    return progress.rejected() ? 2 : 0;
  }

  private EntrypointRegistry registry() {
    if (entrypoints != null) {
      return EntrypointRegistry.load(entrypoints);
    }
    final Path besideStudy = studyFile.toAbsolutePath().getParent().resolve("entrypoints.yaml");
    return Files.isRegularFile(besideStudy) ? EntrypointRegistry.load(besideStudy) : EntrypointRegistry.discover();
  }

  private static boolean healthy(final SchedulerApp scheduler, final AtomicReference<Throwable> runnerFailure) {
    final KafkaStreams.State state = scheduler.state();
    return runnerFailure.get() == null && state != KafkaStreams.State.ERROR
        && state != KafkaStreams.State.PENDING_ERROR && state != KafkaStreams.State.NOT_RUNNING;
  }

  private void writeOutputs(final StudyProjection study, final List<StudyEvent> events, final double elapsed)
      throws IOException {
    if (summaryJson != null) {
      Files.writeString(summaryJson, StudyJson.MAPPER.writerWithDefaultPrettyPrinter()
          .writeValueAsString(StudyJson.summary(study, elapsed)) + "\n");
      Console.info("Summary written to " + summaryJson);
    }
    if (eventsJson != null) {
      final StringBuilder lines = new StringBuilder();
      for (final StudyEvent event : events) {
        if (EventsCommand.DECISIONS.contains(event.getType())) {
          lines.append(StudyJson.event(event, study.paramOrder())).append('\n');
        }
      }
      Files.writeString(eventsJson, lines);
      Console.info("Audit log written to " + eventsJson);
    }
  }

  private static double seconds(final long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
