package io.kasha.cli;

import io.kasha.cli.metrics.MonitoredScheduler;
import io.kasha.runner.RunnerConfig;
import io.kasha.spec.Limits;
import io.kasha.topology.SchedulerApp;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = {"Run the scheduler (a Kafka Streams application) until SIGTERM or Ctrl-C.",
        "",
        "Run several with the same --application-id to spread the studies over them; state is restored "
            + "from changelog topics when an instance moves or restarts."})
final class SchedulerCommand implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--application-id", defaultValue = SchedulerApp.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "RocksDB state (default: <home>/scheduler-state).")
  Path stateDir;

  @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka Streams or client setting, e.g. -c num.stream.threads=2 -c replication.factor=3.")
  Map<String, String> overrides = new HashMap<>();

  @Option(names = "--limit", paramLabel = "NAME=VALUE",
      description = {"A limit on what one study may ask; a study over one is rejected, naming the limit and its "
          + "value. Names and defaults: parallelism=10000 (jobs at once), trials=1000000 (maxTrials, also when "
          + "extended), params=100, choices=10000 (of one parameter), spec-bytes=262144 (the spec, Avro-encoded), "
          + "name-length=200 (names of the study, metric, entrypoint, resource, parameters), id-length=200 "
          + "(study ids), batch=1000 (decisions one record or punctuation makes; the rest follow at the next "
          + "punctuation, every 100 ms)."})
  Map<String, String> limits = new LinkedHashMap<>();

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = {"Serve GET /metrics (Prometheus), /health (200 while Kafka Streams is RUNNING, else 503) and "
          + "/jobs-waiting ({\"waiting\": N}: jobs the runners' share group has not finished, for autoscaling) "
          + "on this port; 0 picks a free one."})
  Integer metricsPort;

  @Option(names = "--runner-group", defaultValue = RunnerConfig.DEFAULT_GROUP_ID, paramLabel = "GROUP",
      description = "Share group of the runners, whose waiting jobs --metrics-port reports "
          + "(default: ${DEFAULT-VALUE}).")
  String runnerGroup;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    final Limits chosen;
    try {
      chosen = Limits.DEFAULTS.with(limits);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--limit: " + e.getMessage());
    }
    try (ClusterOptions.Connection connection = cluster.connect()) {
      final Properties config = SchedulerApp.config(connection.bootstrapServers(), applicationId,
          stateDir != null ? stateDir : cluster.home().resolve("scheduler-state"), overrides);
      final String running = "Scheduler " + applicationId + " running against " + connection.bootstrapServers()
          + " with limits " + chosen.byName();
      final boolean failed;
      if (metricsPort == null) {
        try (SchedulerApp scheduler = new SchedulerApp(connection.topics(), config, chosen)) {
          failed = runUntilShutdown(scheduler, scheduler::start, scheduler::close, running);
        }
      } else {
        try (MonitoredScheduler scheduler =
            new MonitoredScheduler(connection.topics(), config, chosen, runnerGroup, metricsPort)) {
          failed = runUntilShutdown(scheduler.app(), scheduler::start, scheduler::close,
              running + "; /metrics, /health and /jobs-waiting on port " + scheduler.port());
        }
      }
      if (failed) {
        Console.error("The scheduler stopped: its stream threads kept failing (see the log); exiting so that a "
            + "supervisor can start it again");
        return 1;
      }
    }
    return 0;
  }

  /** Runs until SIGTERM or Ctrl-C, or until the Streams client stops of itself; true in that case. */
  private static boolean runUntilShutdown(final SchedulerApp app, final Runnable start, final Runnable close,
      final String running) throws InterruptedException {
    final CountDownLatch stopped = new CountDownLatch(1);
    final AtomicBoolean failed = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close.run();
      stopped.countDown();
    }, "kasha-scheduler-shutdown"));
    app.onFailure(() -> {
      failed.set(true);
      stopped.countDown();
    });
    start.run();
    Console.info(running + "; Ctrl-C to stop");
    stopped.await();
    return failed.get();
  }
}
