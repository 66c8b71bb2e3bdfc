package io.kasha.cli;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.checkpoint.S3CheckpointStore;
import io.kasha.cli.metrics.MonitoredRunner;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.runner.RunnerConfig;
import io.kasha.runner.TrialRunner;
import io.kasha.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runner", mixinStandardHelpOptions = true,
    description = {"Run trial jobs from the trial-jobs topic.",
        "",
        "Runners form a share group: start as many as you like, on any machines. Only registered "
            + "entrypoints run (the Java objectives on the classpath and those of --entrypoints); a job never "
            + "brings its own command. SIGTERM finishes or releases the running jobs."})
final class RunnerCommand implements Callable<Integer> {

  @Option(names = {"-b", "--bootstrap-server"}, required = true, paramLabel = "HOST:PORT")
  String bootstrapServers;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
      description = "Prefix of the Kasha topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--entrypoints", paramLabel = "FILE", description = "Entrypoints file (YAML).")
  Path entrypoints;

  @Option(names = "--slots", defaultValue = "1", paramLabel = "N", description = "Jobs run at once (default: 1).")
  int slots;

  @Mixin
  CheckpointStoreOptions checkpoints;

  @Option(names = "--exit-when-idle", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Exit after this long without a job (e.g. 5m): for scale-to-zero workers.")
  Duration exitWhenIdle;

  @Option(names = "--max-jobs", paramLabel = "N", description = "Exit after N jobs: for one-shot workers.")
  Long maxJobs;

  @Option(names = "--group-id", defaultValue = RunnerConfig.DEFAULT_GROUP_ID,
      description = "Share group of the runners (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--runner-id", description = "Names this runner in reports (default: host-pid).")
  String runnerId;

  @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
      description = "Kafka client settings (security, timeouts); values are never logged.")
  Map<String, String> clientConfig = new HashMap<>();

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve GET /metrics (Prometheus) and /health (200 while every slot polls for jobs, else 503) "
          + "on this port; 0 picks a free one.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    final EntrypointRegistry registry = entrypoints != null
        ? EntrypointRegistry.load(entrypoints) : EntrypointRegistry.discover();
    final CheckpointStore store = checkpoints.open();
    try {
      return run(registry, store);
    } finally {
      close(store);
    }
  }

  private int run(final EntrypointRegistry registry, final CheckpointStore store) throws Exception {
    final RunnerConfig.Builder config = RunnerConfig.builder(bootstrapServers, registry, store)
        .topics(Topics.withPrefix(topicPrefix))
        .groupId(groupId)
        .slots(slots)
        .extraClientProps(new HashMap<>(clientConfig));
    if (exitWhenIdle != null) {
      config.exitWhenIdle(exitWhenIdle);
    }
    if (maxJobs != null) {
      config.maxJobs(maxJobs);
    }
    if (runnerId != null) {
      config.runnerId(runnerId);
    }
    final MonitoredRunner monitored = metricsPort == null ? null : new MonitoredRunner(config.build(), metricsPort);
    final TrialRunner runner = monitored != null ? monitored.runner() : new TrialRunner(config.build());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        runner.close();
        close(store);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        Console.error("cannot close the checkpoint store: " + e.getMessage());
      }
    }, "kasha-runner-shutdown"));
    Console.info("Runner with " + slots + " slot(s) on " + bootstrapServers + "; entrypoints " + registry.names()
        + "; checkpoints in " + describe(store)
        + (monitored == null ? "" : "; /metrics and /health on port " + monitored.port()));
    try {
      runner.run();
    } finally {
      if (monitored != null) {
        monitored.close();
      }
    }
    Console.info("Runner done after " + runner.jobsDone() + " job(s)");
    return 0;
  }

  /** Closes a store that holds clients or local files (an object store's); a directory store holds none. */
  private static void close(final CheckpointStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private static String describe(final CheckpointStore store) {
    if (store instanceof S3CheckpointStore s3) {
      return s3.location().toString();
    }
    return store instanceof DirectoryCheckpointStore directory ? directory.root().toString() : store.toString();
  }

  /** Converts {@code 90s}, {@code 5m}, {@code PT5M} for picocli. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(final String value) {
      return io.kasha.runner.Durations.parse(value);
    }
  }
}
