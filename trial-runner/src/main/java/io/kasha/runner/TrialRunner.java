package io.kasha.runner;

import io.kasha.schemas.Topic;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes trial jobs from the trial-jobs topic as a member of a share group, runs them in its slots
 * and reports on the trial-reports topic. Any number of runners, on any number of machines, share
 * the jobs; each job is acknowledged on its own.
 *
 * <p>For every job a runner reports STARTED, one PROGRESS per report of the training program, then
 * SEGMENT_COMPLETED or SEGMENT_FAILED; it accepts the job's record only once the broker has
 * acknowledged that final report, and renews the record's acquisition lock while the job runs. If
 * the runner dies, the lock expires and another runner gets the job.
 *
 * <p>Each runner also follows the study-events topic: a job of a study that has ended is dropped
 * unrun, the running jobs of a study that ends are cancelled and reported CANCELLED, and the
 * checkpoints a study releases are deleted from the store.
 *
 * <p>Lifecycle: {@link #run()} once, from one thread; {@link #stop()} from any thread (a signal
 * handler, a test) ends it gracefully: jobs that finish in time are reported and accepted, the
 * others are cancelled and released for other runners, never lost.
 */
public final class TrialRunner implements AutoCloseable {

  /**
   * How long a slot's poll for a new job waits. A fetch that brings only a transaction's commit marker (the
   * scheduler writes jobs in transactions) leaves the poll empty until this timeout, so a job committed
   * meanwhile waits for it; {@code kasha bench handoff --poll-ms} measures the effect. Shorter timeouts
   * (50 to 250 ms) cut the median but gave multi-second tails in {@code kasha bench pipeline}, whole
   * partitions stalling; the README has the figures.
   */
  public static final Duration SLOT_POLL_TIMEOUT = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(TrialRunner.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 120;
  private static final Duration FOLLOW_TIMEOUT = Duration.ofSeconds(30);
  /** How often the runner logs its summary, as Kafka Streams' {@code log.summary.interval.ms} defaults to. */
  private static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(2);

  private final RunnerConfig config;
  private final RunnerState state;
  private final RunnerMetrics metrics;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  public TrialRunner(final RunnerConfig config) {
    this.config = config;
    this.state = new RunnerState(config.maxJobs(), config.exitWhenIdle());
    this.metrics = RunnerMetrics.none(state, config.slots());
  }

  /**
   * A runner whose meters (jobs, slots, checkpoints, and its Kafka clients', see {@code RunnerMetrics} for
   * the names) are registered in {@code registry}.
   */
  public TrialRunner(final RunnerConfig config, final MeterRegistry registry) {
    this.config = config;
    this.state = new RunnerState(config.maxJobs(), config.exitWhenIdle());
    this.metrics = new RunnerMetrics(registry, state, config.slots());
  }

  /**
   * Runs jobs until {@link #stop()} is called, the runner has been idle for {@code exitWhenIdle},
   * or {@code maxJobs} jobs are done; returns once every slot has finished or released its job.
   *
   * @throws IllegalStateException if called twice
   * @throws org.apache.kafka.common.KafkaException if a slot fails on an error it cannot get past
   *     (authorization, a missing topic); the other slots are stopped first
   */
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("a TrialRunner runs once");
    }
    try {
      if (state.stopping()) {
        return;
      }
      LOG.info("runner {}: {} slot(s) on {} in group {}; entrypoints {}", config.runnerId(), config.slots(),
          config.topics().trialJobs().name(), config.groupId(), config.registry().names());
      ensureShareGroupSettings();
      state.started();
      runSlots();
      state.failure().ifPresent(failure -> {
        throw failure;
      });
      LOG.info("runner {}: done, {} job(s)", config.runnerId(), state.jobsDone());
    } finally {
      state.finish();
      finished.countDown();
    }
  }

  /** Asks {@link #run()} to end gracefully; returns at once. Idempotent. */
  public void stop() {
    state.stop("stop requested");
  }

  /**
   * Empty while the runner takes jobs: {@link #run()} is running, not stopping, and every slot's share
   * consumer is subscribed and polling; else why not. For a readiness probe.
   */
  public Optional<String> notReady() {
    if (!started.get()) {
      return Optional.of("not started");
    }
    if (state.stopping()) {
      return Optional.of("stopping");
    }
    final int polling = state.pollingSlots();
    return polling < config.slots()
        ? Optional.of(polling + " of " + config.slots() + " slots polling")
        : Optional.empty();
  }

  /** Jobs finished so far: reported and accepted. */
  public long jobsDone() {
    return state.jobsDone();
  }

  /** Jobs taken to run so far. */
  long jobsTaken() {
    return state.jobsTaken();
  }

  /** Jobs taken so far from a record that had been delivered before. */
  long redeliveredJobsTaken() {
    return state.redeliveredJobsTaken();
  }

  /** Records released so far for other runners. */
  long recordsReleased() {
    return state.recordsReleased();
  }

  /**
   * Acknowledgements and renewals that failed so far; a record the consumer kept after its lock ran
   * out shows here, as its delivery count is the one it was first fetched with.
   */
  long failedAcknowledgements() {
    return state.failedAcknowledgements();
  }

  /**
   * Calls {@code observer} for each job a slot takes, with the milliseconds since its record's
   * timestamp: for a job the scheduler issued on a report, the time since the runner wrote that
   * report, the record keeping its input's timestamp. For benchmarks and metrics; set before
   * {@link #run()}, it must be quick and thread-safe.
   */
  public void observeJobWaits(final ObjLongConsumer<TrialJob> observer) {
    state.observeJobWaits(observer);
  }

  /** Stops the runner and waits for {@link #run()} to return, if it was started. */
  @Override
  public void close() throws InterruptedException {
    stop();
    if (started.get() && !finished.await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      LOG.warn("runner {}: still running {} s after close()", config.runnerId(), CLOSE_TIMEOUT_SECONDS);
    }
  }

  private void ensureShareGroupSettings() {
    try (Admin admin = Admin.create(clientProps("admin"))) {
      ShareGroupSettings.ensure(admin, config.groupId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.stop("interrupted");
    }
  }

  private void runSlots() {
    final EndedStudies ended = new EndedStudies();
    try (StudyEventFollower follower = new StudyEventFollower(clientProps("events"), config.topics().studyEvents(),
        config.topics().studyStatus(), ended, config.checkpointStore())) {
      final Thread following = new Thread(follower, config.runnerId() + "-events");
      following.setDaemon(true);
      following.start();
      try {
        if (!follower.awaitFollowing(FOLLOW_TIMEOUT)) {
          LOG.warn("runner {}: not yet following {}; starting the slots anyway", config.runnerId(),
              config.topics().studyEvents().name());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state.stop("interrupted");
        return;
      }
      runSlots(ended);
    }
  }

  private void runSlots(final EndedStudies ended) {
    final JobExecutor executor =
        new JobExecutor(config.registry(), config.checkpointStore(), config.runnerId(), metrics);
    final Topic<String, TrialReport> reports = config.topics().trialReports();
    final ExecutorService jobThreads = Executors.newCachedThreadPool(daemonThreads(config.runnerId() + "-job-"));
    try (KafkaProducer<String, TrialReport> producer =
        new KafkaProducer<>(producerProps(), reports.keySerde().serializer(), reports.valueSerde().serializer());
         KafkaClientMetrics producerMetrics = metrics.bind(producer)) {
      final ReportPublisher publisher = new ReportPublisher(producer, reports.name());
      final List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < config.slots(); i++) {
        final String name = config.runnerId() + "-slot-" + i;
        final Slot slot = new Slot(name, config, consumerProps(name), executor, publisher, state, jobThreads,
            ended, metrics);
        final Thread thread = new Thread(slot, name);
        thread.start();
        threads.add(thread);
      }
      joinAll(threads);
    } finally {
      jobThreads.shutdown();
    }
  }

  /**
   * Job threads are reused from job to job (a no-op objective finishes in microseconds, far less than
   * starting a thread); daemons, so that a job still running after its slot gave up on it never
   * keeps the JVM alive.
   */
  private static ThreadFactory daemonThreads(final String prefix) {
    final AtomicInteger count = new AtomicInteger();
    return task -> {
      final Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Waits for the slots, logging what they did every {@link #SUMMARY_INTERVAL} in which they did something. */
  private void joinAll(final List<Thread> threads) {
    boolean interrupted = false;
    final Summary summary = new Summary();
    for (final Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join(summary.millisToNext());
          summary.logIfDue();
        } catch (InterruptedException e) {
          interrupted = true;
          state.stop("interrupted");
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The runner's periodic INFO line, in place of a line per job (which stay at DEBUG): jobs taken and
   * done, redeliveries, releases and failed acknowledgements since the previous line.
   */
  private final class Summary {
    private long next = System.nanoTime() + SUMMARY_INTERVAL.toNanos();
    private long taken;
    private long done;
    private long redelivered;
    private long released;
    private long failedAcks;

    long millisToNext() {
      return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()));
    }

    void logIfDue() {
      if (System.nanoTime() < next) {
        return;
      }
      next = System.nanoTime() + SUMMARY_INTERVAL.toNanos();
      final long nowTaken = state.jobsTaken();
      final long nowDone = state.jobsDone();
      final long nowRedelivered = state.redeliveredJobsTaken();
      final long nowReleased = state.recordsReleased();
      final long nowFailedAcks = state.failedAcknowledgements();
      if (nowTaken != taken || nowDone != done || nowReleased != released || nowFailedAcks != failedAcks) {
        LOG.info("runner {}: in the last {} s, took {} jobs ({} redelivered) and finished {}; released {} records "
                + "for other runners; {} acknowledgements failed", config.runnerId(), SUMMARY_INTERVAL.toSeconds(),
            nowTaken - taken, nowRedelivered - redelivered, nowDone - done, nowReleased - released,
            nowFailedAcks - failedAcks);
      }
      taken = nowTaken;
      done = nowDone;
      redelivered = nowRedelivered;
      released = nowReleased;
      failedAcks = nowFailedAcks;
    }
  }

  private Map<String, Object> consumerProps(final String clientId) {
    final Map<String, Object> props = new HashMap<>(config.extraClientProps());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    return props;
  }

  private Map<String, Object> producerProps() {
    final Map<String, Object> props = clientProps("reports");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  private Map<String, Object> clientProps(final String role) {
    final Map<String, Object> props = new HashMap<>(config.extraClientProps());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.runnerId() + "-" + role);
    return props;
  }
}
