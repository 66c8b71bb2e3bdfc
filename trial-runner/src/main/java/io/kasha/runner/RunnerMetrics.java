package io.kasha.runner;

import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.TrialReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A runner's meters, labelled by bounded values only (an outcome, a failure kind, a direction; never a
 * study, trial or job id). In Prometheus names:
 *
 * <ul>
 *   <li>{@code kasha_runner_jobs_running}, {@code kasha_runner_slots{state="busy"|"free"}}: now (a busy
 *       slot is one running a job, so busy equals running);
 *   <li>{@code kasha_runner_jobs_taken_total}, {@code kasha_runner_jobs_redelivered_total} (taken from a
 *       record delivered before), {@code kasha_runner_jobs_released_total} (given back for another
 *       runner), {@code kasha_runner_acknowledgements_failed_total};
 *   <li>{@code kasha_runner_jobs_completed_total}, {@code kasha_runner_jobs_failed_total{kind}} and
 *       {@code kasha_runner_job_duration_seconds{outcome}}: each job run, from its entrypoint's lookup
 *       to its final report, by how it ended;
 *   <li>{@code kasha_runner_checkpoint_bytes_total{direction="up"|"down"}}: the size of the checkpoints
 *       stored after a segment (up) and of those a promoted segment resumed from (down), whatever the
 *       store;
 *   <li>the Kafka clients' own: the report producer's through Micrometer's {@code KafkaClientMetrics},
 *       each slot's share consumer's through {@link ShareConsumerMetrics}.
 * </ul>
 */
final class RunnerMetrics {

  /** The job duration's histogram buckets, from no-op objectives to long training segments. */
  private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100),
      Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12)};

  private final MeterRegistry registry;
  private final Counter completed;
  private final Map<FailureKind, Counter> failed = new EnumMap<>(FailureKind.class);
  private final Timer completedDuration;
  private final Timer failedDuration;
  private final Counter checkpointUp;
  private final Counter checkpointDown;

  /** Meters for a runner of {@code slots} slots whose counts {@code state} keeps. */
  RunnerMetrics(final MeterRegistry registry, final RunnerState state, final int slots) {
    this.registry = registry;
    Gauge.builder("kasha.runner.jobs.running", state, RunnerState::running)
        .description("Jobs running now").register(registry);
    Gauge.builder("kasha.runner.slots", state, RunnerState::running).tag("state", "busy")
        .description("Slots by state: busy (running a job) or free").register(registry);
    Gauge.builder("kasha.runner.slots", state, s -> slots - s.running()).tag("state", "free")
        .description("Slots by state: busy (running a job) or free").register(registry);
    FunctionCounter.builder("kasha.runner.jobs.taken", state, RunnerState::jobsTaken)
        .description("Jobs taken from the share group to run").register(registry);
    FunctionCounter.builder("kasha.runner.jobs.redelivered", state, RunnerState::redeliveredJobsTaken)
        .description("Jobs taken from a record delivered before (to another runner, released, or whose lock ran out)")
        .register(registry);
    FunctionCounter.builder("kasha.runner.jobs.released", state, RunnerState::recordsReleased)
        .description("Job records released for other runners").register(registry);
    FunctionCounter.builder("kasha.runner.acknowledgements.failed", state, RunnerState::failedAcknowledgements)
        .description("Acknowledgements and lock renewals that failed").register(registry);
    this.completed = Counter.builder("kasha.runner.jobs.completed")
        .description("Jobs whose segment completed").register(registry);
    for (final FailureKind kind : FailureKind.values()) {
      failed.put(kind, Counter.builder("kasha.runner.jobs.failed").tag("kind", kind.name().toLowerCase(Locale.ROOT))
          .description("Jobs whose segment failed, by failure kind").register(registry));
    }
    this.completedDuration = duration(registry, "completed");
    this.failedDuration = duration(registry, "failed");
    this.checkpointUp = checkpointBytes(registry, "up");
    this.checkpointDown = checkpointBytes(registry, "down");
  }

  /** Meters that go nowhere, for a runner run without monitoring. */
  static RunnerMetrics none(final RunnerState state, final int slots) {
    return new RunnerMetrics(new CompositeMeterRegistry(), state, slots);
  }

  private static Timer duration(final MeterRegistry registry, final String outcome) {
    return Timer.builder("kasha.runner.job.duration").tag("outcome", outcome)
        .description("Time from taking up a job to its final report, by outcome")
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry);
  }

  private static Counter checkpointBytes(final MeterRegistry registry, final String direction) {
    return Counter.builder("kasha.runner.checkpoint").baseUnit(BaseUnits.BYTES).tag("direction", direction)
        .description("Checkpoint bytes stored after segments (up) and resumed from (down)").register(registry);
  }

  /** A job ran for {@code nanos} and ended with its final report {@code report}. */
  void jobRan(final TrialReport report, final long nanos) {
    if (report.getKind() == ReportKind.SEGMENT_COMPLETED) {
      completed.increment();
      completedDuration.record(nanos, TimeUnit.NANOSECONDS);
    } else {
      failed.get(report.getFailureKind() == null ? FailureKind.ERROR : report.getFailureKind()).increment();
      failedDuration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void checkpointStored(final long bytes) {
    checkpointUp.increment(bytes);
  }

  void checkpointResumed(final long bytes) {
    checkpointDown.increment(bytes);
  }

  /** Binds a share consumer's Kafka metrics until the returned binder is closed. */
  ShareConsumerMetrics bind(final ShareConsumer<?, ?> consumer) {
    final ShareConsumerMetrics binder = new ShareConsumerMetrics(consumer);
    binder.bindTo(registry);
    return binder;
  }

  /** Binds a producer's Kafka metrics with Micrometer's binder until the returned binder is closed. */
  KafkaClientMetrics bind(final Producer<?, ?> producer) {
    final KafkaClientMetrics binder = new KafkaClientMetrics(producer);
    binder.bindTo(registry);
    return binder;
  }
}
