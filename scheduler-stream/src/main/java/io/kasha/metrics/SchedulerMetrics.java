package io.kasha.metrics;

import io.kasha.schemas.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The scheduler's own meters, shared by the processors of every Streams task of one scheduler instance
 * (thread-safe). Labels are bounded: an event type or a study status, never a study or trial id, so a
 * scheduler with a million trials exports the same few series as one with ten. Each instance counts
 * its own tasks' work; sum over instances for the deployment.
 *
 * <p>In Prometheus names (Micrometer's naming convention adds the units and {@code _total}):
 *
 * <ul>
 *   <li>{@code kasha_scheduler_jobs_issued_total}: trial jobs written, re-issued ones included;
 *   <li>{@code kasha_scheduler_events_total{type}}: study events by type ({@code trial-created},
 *       {@code trial-promoted}, {@code rung-result}, {@code trial-failed}, {@code job-reissued},
 *       {@code study-accepted}, {@code study-rejected}, {@code study-completed}, ...), every type from zero;
 *   <li>{@code kasha_scheduler_report_lag_seconds}: from a report record's timestamp (when the runner
 *       wrote it) to the scheduler taking it up, a histogram;
 *   <li>{@code kasha_scheduler_reports_ignored_total}, {@code kasha_scheduler_reports_unknown_study_total},
 *       {@code kasha_scheduler_records_routed_total}: as the Streams sensors of the same names;
 *   <li>{@code kasha_scheduler_jobs_unstarted}: jobs this instance issued that no runner has reported on
 *       yet, counted since the instance took over each task;
 *   <li>{@code kasha_scheduler_studies{status}}: the studies in this instance's active tasks by status,
 *       as of the last {@link #studies} call.
 * </ul>
 *
 * Counts are of decisions made: a transaction that aborts and is processed again counts twice.
 */
public final class SchedulerMetrics {

  /** The study statuses the studies gauge is labelled with, as the engine names them. */
  public static final List<String> STATUSES =
      List.of("RUNNING", "COMPLETED", "STOPPED", "TIME_BUDGET", "TARGET_REACHED", "REJECTED");

  /** The report lag's histogram buckets: a dozen series rather than Micrometer's seventy-odd default ones. */
  private static final Duration[] REPORT_LAG_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
      10_000, 30_000, 60_000).map(Duration::ofMillis).toArray(Duration[]::new);

  private final Counter jobsIssued;
  private final Map<EventType, Counter> events = new EnumMap<>(EventType.class);
  private final Timer reportLag;
  private final Counter reportsIgnored;
  private final Counter reportsUnknownStudy;
  private final Counter recordsRouted;
  private final AtomicLong jobsUnstarted = new AtomicLong();
  private final Map<String, AtomicLong> studies = new LinkedHashMap<>();

  public SchedulerMetrics(final MeterRegistry registry) {
    this.jobsIssued = Counter.builder("kasha.scheduler.jobs.issued")
        .description("Trial jobs written to the trial-jobs topic, re-issued ones included").register(registry);
    for (final EventType type : EventType.values()) {
      events.put(type, Counter.builder("kasha.scheduler.events").tag("type", typeName(type))
          .description("Study events written, by type: every decision of the scheduler").register(registry));
    }
    this.reportLag = Timer.builder("kasha.scheduler.report.lag")
        .description("Time from a trial report's record timestamp to the scheduler taking it up")
        .serviceLevelObjectives(REPORT_LAG_BUCKETS)
        .register(registry);
    this.reportsIgnored = Counter.builder("kasha.scheduler.reports.ignored")
        .description("Reports that changed nothing: unknown, late, duplicate or superseded").register(registry);
    this.reportsUnknownStudy = Counter.builder("kasha.scheduler.reports.unknown.study")
        .description("Reports for a study the scheduler was never given").register(registry);
    this.recordsRouted = Counter.builder("kasha.scheduler.records.routed")
        .description("Records forwarded to the partition their study id maps to").register(registry);
    Gauge.builder("kasha.scheduler.jobs.unstarted", jobsUnstarted, AtomicLong::get)
        .description("Jobs this instance issued that no runner has reported on yet (since it took each task)")
        .register(registry);
    for (final String status : STATUSES) {
      final AtomicLong count = new AtomicLong();
      studies.put(status, count);
      Gauge.builder("kasha.scheduler.studies", count, AtomicLong::get)
          .tag("status", status.toLowerCase(Locale.ROOT))
          .description("Studies in this instance's active tasks, by status").register(registry);
    }
  }

  /** Meters that go nowhere: for a scheduler run without monitoring, and for tests. */
  public static SchedulerMetrics none() {
    return new SchedulerMetrics(new CompositeMeterRegistry());
  }

  /** An event type as the audit log prints it: {@code TRIAL_PROMOTED} is {@code trial-promoted}. */
  static String typeName(final EventType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public void jobIssued() {
    jobsIssued.increment();
  }

  public void event(final EventType type) {
    events.get(type).increment();
  }

  /** A report taken up {@code millis} after its record's timestamp (negative with skewed clocks: taken as 0). */
  public void reportLag(final long millis) {
    reportLag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  public void reportIgnored() {
    reportsIgnored.increment();
  }

  public void reportForUnknownStudy() {
    reportsUnknownStudy.increment();
  }

  public void recordRouted() {
    recordsRouted.increment();
  }

  /** Jobs issued and not yet reported on changed by {@code delta}. */
  public void jobsUnstarted(final long delta) {
    jobsUnstarted.addAndGet(delta);
  }

  /**
   * The studies by status, counted afresh (see {@code SchedulerApp.studiesByStatus}); a status not in
   * {@code counts} has none.
   */
  public void studies(final Map<String, Long> counts) {
    studies.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
  }
}
