package io.kasha.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.cli.local.EmbeddedBroker;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.runner.RunnerConfig;
import io.kasha.runner.TrialRunner;
import io.kasha.schemas.Topics;
import io.kasha.topology.SchedulerApp;
import io.kasha.topology.TopicSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kasha bench pipeline}: the whole pipeline under load, through a real broker, the real
 * scheduler (Kafka Streams, exactly-once) and real runners (share group, slots) running the no-op
 * objective, with enough studies at once to keep every slot busy.
 *
 * <p>It measures, in a steady window after a warm-up: SEGMENT_COMPLETED reports processed per second
 * (RUNG_RESULT events committed to the study-events topic), and the latency from a report to the job it
 * triggers reaching a runner: a slot taking it, minus the job's record timestamp, which is the
 * report's. Beside it, the time until the job becomes visible at all (a {@code read_committed} reader
 * of the trial-jobs topic), which tells the scheduler's part from the share group's. Each study that ends is
 * replaced by a new one until the window closes; then the running ones are let finish, and the run
 * fails unless every study it started completed.
 *
 * <p>Longer than the project's other classes on purpose: the options, the run (broker, scheduler,
 * runners, the study rotation) and the window's figures are one procedure over the run's state, read
 * best in order; its reusable parts are apart ({@link StudyRotation}, {@link JobLatencyProbe},
 * {@link CpuByPart}, {@link PipelineBenchResult}).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Benchmark the whole pipeline: broker, scheduler (exactly-once) and runners with a no-op objective.",
        "The warm-up starts once the first results arrive; the window follows it.",
        "Prints reports processed per second and the latency from a report to a runner's slot taking the job it "
            + "triggered (p50, p99); progress on stderr.",
        "Exit status: 0 when every study it started completed, 1 otherwise."})
public final class PipelineBenchCommand implements Callable<Integer> {

  /** Every runner of the benchmark has an id starting with this, and so do the names of its threads. */
  static final String RUNNER_PREFIX = "bench-";

  @Option(names = "--json", description = "Print one JSON object (the summary goes to stderr).")
  boolean json;

  @Option(names = "--studies", defaultValue = "64", paramLabel = "N",
      description = "Studies running at once; each that ends is replaced (default: ${DEFAULT-VALUE}).")
  int studies;

  @Option(names = "--trials", defaultValue = "100", paramLabel = "N",
      description = "Trials per study; rungs 1, 3, 9 with eta 3 (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--parallelism", defaultValue = "8", paramLabel = "N",
      description = "Job slots of each study (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--runners", defaultValue = "1", paramLabel = "N",
      description = "Runners, each with --slots slots, in this process (default: ${DEFAULT-VALUE}).")
  int runners;

  @Option(names = "--job-ms", defaultValue = "0", paramLabel = "MS",
      description = "Mean time a job takes: each sleeps a time drawn uniformly from 0 to 2 x MS before it reports, "
          + "so that reports reach the scheduler at any moment, as real trials' do (default: ${DEFAULT-VALUE}, "
          + "no-op jobs, whose reports all arrive just after the commit that released their jobs).")
  long jobMs;

  @Option(names = "--slots", defaultValue = "32", paramLabel = "N",
      description = "Slots of each runner (default: ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--partitions", defaultValue = "4", paramLabel = "N",
      description = "Partitions of the benchmark's topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--seconds", defaultValue = "30", paramLabel = "S",
      description = "Length of the measured window (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "60", paramLabel = "S",
      description = "Seconds of load before the window opens (default: ${DEFAULT-VALUE}): the broker, "
          + "scheduler and runners share one JVM, whose JIT compiler takes about a minute of load to settle; "
          + "with 5 s the same machine measures half the rate.")
  double warmup;

  @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "S",
      description = "Seconds the running studies get to finish after the window (default: ${DEFAULT-VALUE}).")
  double drainTimeout;

  @Option(names = "--stream-threads", defaultValue = "1", paramLabel = "N",
      description = "Scheduler stream threads (num.stream.threads, default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(names = "--commit-interval-ms", paramLabel = "MS",
      description = "Scheduler commit.interval.ms (default: the scheduler's own).")
  Long commitIntervalMs;

  @Option(names = {"-c", "--scheduler-config"}, paramLabel = "KEY=VALUE",
      description = "Any other Kafka Streams setting of the scheduler.")
  Map<String, String> schedulerConfig = new HashMap<>();

  @Option(names = {"-r", "--runner-config"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client setting of the runners' consumers and producer.")
  Map<String, String> runnerConfig = new HashMap<>();

  @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
      description = "Kafka cluster to use (default: an embedded broker in a temporary directory).")
  String bootstrapServers;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX",
      description = "Prefix of the benchmark's topics, application id and share group (default: a new one).")
  String topicPrefix;

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  @Spec
  CommandSpec spec;

  private static final int START_TIMEOUT_SECONDS = 120;

  private PrintWriter out;
  private PrintWriter progress;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    progress = spec.commandLine().getErr();
    final List<String> problems = problems();
    if (!problems.isEmpty()) {
      problems.forEach(problem -> progress.println("kasha: " + problem));
      return 2;
    }
    final Path work = Files.createTempDirectory("kasha-bench-pipeline-");
    try {
      return run(work);
    } finally {
      deleteQuietly(work);
    }
  }

  private List<String> problems() {
    final List<String> problems = new ArrayList<>();
    for (final var option : List.of(Map.entry("--studies", studies), Map.entry("--trials", trials),
        Map.entry("--parallelism", parallelism), Map.entry("--runners", runners), Map.entry("--slots", slots),
        Map.entry("--partitions", partitions), Map.entry("--stream-threads", streamThreads))) {
      if (option.getValue() < 1) {
        problems.add(option.getKey() + " must be at least 1, got " + option.getValue());
      }
    }
    if (!(seconds > 0)) {
      problems.add("--seconds must be positive, got " + seconds);
    }
    if (!(warmup >= 0)) {
      problems.add("--warmup must not be negative, got " + warmup);
    }
    if (jobMs < 0) {
      problems.add("--job-ms must not be negative, got " + jobMs);
    }
    return problems;
  }

  private int run(final Path work) throws Exception {
    final String prefix = topicPrefix != null ? topicPrefix
        : "kasha-bench-" + Long.toString(System.currentTimeMillis(), 36) + ".";
    final Topics topics = Topics.withPrefix(prefix);
    EmbeddedBroker broker = null;
    String bootstrap = bootstrapServers;
    try {
      if (bootstrap == null) {
        progress.println("bench: starting an embedded broker in " + work.resolve("broker"));
        broker = EmbeddedBroker.start(work.resolve("broker"), Map.of());
        bootstrap = broker.bootstrapServers();
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        TopicSetup.ensure(admin, topics, partitions, (short) -1);
        return runOn(bootstrap, admin, topics, prefix, work, broker == null ? bootstrap : "embedded");
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private int runOn(final String bootstrap, final Admin admin, final Topics topics, final String prefix,
      final Path work, final String brokerName) throws Exception {
    final Map<String, Object> overrides = new HashMap<>(schedulerConfig);
    overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    if (commitIntervalMs != null) {
      overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    }
    final java.util.Properties streamsConfig =
        SchedulerApp.config(bootstrap, prefix + "scheduler", work.resolve("scheduler-state"), overrides);
    final long commitInterval = Long.parseLong(String.valueOf(streamsConfig.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)));
    final AtomicReference<Throwable> runnerFailure = new AtomicReference<>();
    final List<TrialRunner> trialRunners = new ArrayList<>();
    final Recorder takes = new Recorder(JobLatencyProbe.MAX_LATENCY_MS, 3);
    final List<Thread> threads = new ArrayList<>();
    try (SchedulerApp scheduler = new SchedulerApp(topics, streamsConfig)) {
      scheduler.start();
      awaitRunning(scheduler);
      // the benchmark's studies run only the no-op objective, with the job length asked for
      final EntrypointRegistry registry =
          EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new NoopObjective(jobMs))));
      for (int i = 0; i < runners; i++) {
        final TrialRunner runner = new TrialRunner(RunnerConfig.builder(bootstrap, registry,
                new DirectoryCheckpointStore(work.resolve("checkpoints")))
            .topics(topics).groupId(prefix + "runners").slots(slots).runnerId(RUNNER_PREFIX + i)
            .extraClientProps(Map.copyOf(runnerConfig)).build());
        runner.observeJobWaits((job, millis) -> {
          if (JobLatencyProbe.triggeredByReport(job, parallelism)) {
            takes.recordValue(Math.min(millis, JobLatencyProbe.MAX_LATENCY_MS));
          }
        });
        trialRunners.add(runner);
        threads.add(start("kasha-bench-runner-" + i, () -> {
          try {
            runner.run();
          } catch (RuntimeException e) {
            runnerFailure.compareAndSet(null, e);
          }
        }));
      }
      final JobLatencyProbe probe = new JobLatencyProbe(bootstrap, topics.trialJobs(), parallelism);
      final StudyRotation rotation = new StudyRotation(bootstrap, topics, prefix.replace('.', '-') + "s",
          studies, trials, parallelism);
      threads.add(start("kasha-bench-job-probe", probe));
      threads.add(start("kasha-bench-studies", rotation));
      try {
        final Health health = () -> {
          final Throwable failed = runnerFailure.get() != null ? runnerFailure.get() : rotation.failure().orElse(null);
          if (failed != null) {
            return "failed: " + failed;
          }
          final KafkaStreams.State state = scheduler.state();
          return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
              || state == KafkaStreams.State.NOT_RUNNING ? "the scheduler stopped (" + state + ")" : null;
        };
        final Window window = measure(admin, topics, probe, takes, rotation, health, new SchedulerCommits(scheduler));
        rotation.stopSubmitting();
        drain(rotation, health);
        final Map<String, String> ended = rotation.ended();
        final int completed = (int) ended.values().stream().filter("COMPLETED"::equals).count();
        final int run = ended.size() + rotation.running();
        final PipelineBenchResult result = window.result(new PipelineBenchResult.Settings(brokerName, studies,
            trials, parallelism, jobMs, runners, slots, partitions, streamThreads, commitInterval, seconds, warmup,
            Runtime.getRuntime().availableProcessors()), run, completed);
        print(result);
        if (completed != run) {
          progress.println("kasha: " + (run - completed) + " of " + run + " studies did not complete: "
              + ended.entrySet().stream().filter(e -> !"COMPLETED".equals(e.getValue())).limit(5).toList()
              + (rotation.running() > 0 ? ", " + rotation.running() + " still running" : ""));
          return 1;
        }
        return health.problem() == null ? 0 : 1;
      } finally {
        rotation.stop();
        probe.stop();
        for (final TrialRunner runner : trialRunners) {
          runner.close();
        }
        for (final Thread thread : threads) {
          thread.join(TimeUnit.SECONDS.toMillis(30));
        }
      }
    }
  }

  /** Runs the warm-up and the window, showing progress each second; returns what the window saw. */
  private Window measure(final Admin admin, final Topics topics, final JobLatencyProbe probe, final Recorder takes,
      final StudyRotation rotation, final Health health, final SchedulerCommits commits) throws Exception {
    awaitFirstResult(rotation, health);
    final long begin = System.nanoTime();
    final long windowStart = begin + seconds(warmup);
    final long windowEnd = windowStart + seconds(seconds);
    Window window = null;
    long lastResults = rotation.rungResults();
    long lastTick = begin;
    while (true) {
      final long now = System.nanoTime();
      final long next = Math.min(lastTick + seconds(1), window == null ? windowStart : windowEnd);
      if (now < next) {
        TimeUnit.NANOSECONDS.sleep(next - now);
        continue;
      }
      final String problem = health.problem();
      if (problem != null) {
        throw new IllegalStateException(problem);
      }
      final Histogram visible = probe.interval();
      final Histogram interval = takes.getIntervalHistogram();
      final long results = rotation.rungResults();
      final double tick = (now - lastTick) / 1e9;
      if (window != null) {
        window.latencies.add(interval);
        window.visible.add(visible);
        window.sampleMachine();
      }
      progress.printf(Locale.ROOT, "bench: %5.1f s %-8s reports/s %,8.0f  report->job p50 %6.1f ms p99 %7.1f ms"
              + "  studies running %d, ended %d%n",
          (now - begin) / 1e9, window == null ? "warm-up" : "window", (results - lastResults) / tick,
          percentile(interval, 50), percentile(interval, 99), rotation.running(), rotation.ended().size());
      lastResults = results;
      lastTick = now;
      if (window == null && now >= windowStart) {
        window = new Window(now, results, reportRecords(admin, topics), probe.received(), commits);
      } else if (window != null && now >= windowEnd) {
        return window.close(now, results, reportRecords(admin, topics), probe.received());
      }
    }
  }

  /** The clients join, the JIT warms up: the warm-up starts once results flow. */
  private void awaitFirstResult(final StudyRotation rotation, final Health health) throws InterruptedException {
    final long begin = System.nanoTime();
    long nextLine = begin + seconds(1);
    while (rotation.rungResults() == 0) {
      final String problem = health.problem();
      if (problem != null) {
        throw new IllegalStateException(problem);
      }
      if (System.nanoTime() - begin > seconds(START_TIMEOUT_SECONDS)) {
        throw new IllegalStateException("no result within " + START_TIMEOUT_SECONDS + " s of the first studies");
      }
      if (System.nanoTime() >= nextLine) {
        progress.printf(Locale.ROOT, "bench: %5.1f s waiting for the first results%n", (System.nanoTime() - begin) / 1e9);
        nextLine += seconds(1);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private void drain(final StudyRotation rotation, final Health health) throws InterruptedException {
    final long deadline = System.nanoTime() + seconds(drainTimeout);
    long nextLine = 0;
    while (rotation.running() > 0 && System.nanoTime() < deadline && health.problem() == null) {
      if (System.nanoTime() >= nextLine) {
        progress.println("bench: letting " + rotation.running() + " running studies finish");
        nextLine = System.nanoTime() + seconds(1);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private void print(final PipelineBenchResult result) throws IOException {
    if (json) {
      progress.print(result.summary());
      out.println(new ObjectMapper().writeValueAsString(result.json()));
    } else {
      out.print(result.summary());
    }
    out.flush();
    progress.flush();
  }

  private static long reportRecords(final Admin admin, final Topics topics)
      throws ExecutionException, InterruptedException {
    final String name = topics.trialReports().name();
    final int count = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size();
    final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < count; p++) {
      latest.put(new TopicPartition(name, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
  }

  private static void awaitRunning(final SchedulerApp scheduler) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (scheduler.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || scheduler.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("the scheduler did not start (" + scheduler.state() + ")");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static Thread start(final String name, final Runnable task) {
    final Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static double percentile(final Histogram histogram, final double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
  }

  private static long seconds(final double seconds) {
    return (long) (seconds * 1e9);
  }

  static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  static void deleteQuietly(final Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      System.err.println("kasha: cannot delete " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The scheduler's transaction commits, from its stream threads' metrics: how many so far, and how
   * long one took on average lately. Under exactly-once a job becomes visible to runners only with the
   * commit of the transaction that wrote it, so these explain much of the report-to-job latency.
   */
  private record SchedulerCommits(SchedulerApp scheduler) {

    double total() {
      return sum("commit-total");
    }

    double averageMillis() {
      final List<Double> values = values("commit-latency-avg");
      return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private double sum(final String name) {
      return values(name).stream().mapToDouble(Double::doubleValue).sum();
    }

    private List<Double> values(final String name) {
      final List<Double> values = new ArrayList<>();
      scheduler.metrics().forEach((metric, value) -> {
        if (metric.group().equals("stream-thread-metrics") && metric.name().equals(name)
            && value.metricValue() instanceof Double number && !number.isNaN()) {
          values.add(number);
        }
      });
      return values;
    }
  }

  /** Null while everything runs; otherwise what went wrong. */
  @FunctionalInterface
  private interface Health {
    String problem();
  }

  /** The counters at the start of the measured window, the latencies recorded in it, and its rates once closed. */
  private static final class Window {
    private final long startNanos;
    private final long startResults;
    private final long startRecords;
    private final long startJobs;
    private final Histogram latencies = new Histogram(3);
    private final Histogram visible = new Histogram(3);
    private final long startCpuNanos = processCpuNanos();
    private final CpuByPart cpuByPart = new CpuByPart(RUNNER_PREFIX);
    private java.util.Map<String, Double> coresByPart = java.util.Map.of();
    private double machineBusy;
    private int machineSamples;
    private double processCores;
    private double reportsPerSecond;
    private double recordsPerSecond;
    private double jobsPerSecond;
    private final SchedulerCommits commits;
    private final double startCommits;
    private double commitsPerSecond;
    private double commitMillis;

    Window(final long startNanos, final long results, final long records, final long jobs,
        final SchedulerCommits commits) {
      this.commits = commits;
      this.startCommits = commits.total();
      this.startNanos = startNanos;
      this.startResults = results;
      this.startRecords = records;
      this.startJobs = jobs;
    }

    Window close(final long endNanos, final long results, final long records, final long jobs) {
      final double elapsed = (endNanos - startNanos) / 1e9;
      final long cpuNanos = processCpuNanos() - startCpuNanos;
      coresByPart = cpuByPart.close(elapsed, cpuNanos / 1e9);
      processCores = cpuNanos / 1e9 / elapsed;
      reportsPerSecond = (results - startResults) / elapsed;
      recordsPerSecond = (records - startRecords) / elapsed;
      jobsPerSecond = (jobs - startJobs) / elapsed;
      commitsPerSecond = (commits.total() - startCommits) / elapsed;
      commitMillis = commits.averageMillis();
      return this;
    }

    /** Adds one sample of the whole machine's CPU use (0 to 1), every process included. */
    void sampleMachine() {
      final double load = OS.getCpuLoad();
      if (load >= 0) {
        machineBusy += load;
        machineSamples++;
      }
    }

    PipelineBenchResult result(final PipelineBenchResult.Settings settings, final int studiesRun,
        final int studiesCompleted) {
      return new PipelineBenchResult(reportsPerSecond, recordsPerSecond, jobsPerSecond,
          percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 99.9),
          latencies.getTotalCount() == 0 ? 0 : latencies.getMaxValue(), latencies.getTotalCount(),
          percentile(visible, 50), percentile(visible, 99), processCores,
          coresByPart, machineSamples == 0 ? -1 : machineBusy / machineSamples * settings.cores(), commitsPerSecond,
          commitMillis, settings, studiesRun, studiesCompleted);
    }
  }
}
