package io.kasha.topology;

import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.spec.Limits;
import io.kasha.study.StudyEngine;
import io.kasha.study.StudyState;
import io.kasha.study.StudyStores;
import io.kasha.study.Table;
import io.kasha.study.TrialState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the studies of its task through a {@link StudyEngine} over the task's state stores: hands it
 * each study command and trial report, punctuates it on wall-clock time (leases, time budgets), and
 * forwards what it puts out. Every decision, the state change it makes and the records it emits
 * commit together (exactly-once). A record on another partition than its study id maps to is first
 * forwarded there ({@link Routing}), so a study's progress does not depend on its producers' partitioner.
 * What it forwards, ignores and routes is counted in the instance's {@link SchedulerMetrics}.
 */
final class StudyProcessor implements Processor<String, Object, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(StudyProcessor.class);

  private final Duration punctuateInterval;
  private final Routing routing;
  private final Limits limits;
  private final SchedulerMetrics metrics;
  private final UnstartedJobs unstarted;
  private ProcessorContext<String, Object> context;
  private StudyEngine engine;
  /** The input record being handled, whose timestamp and headers the emitted records keep. */
  private Record<String, Object> trigger;
  /** Whether the engine ignored the report being handled. */
  private boolean reportIgnored;
  /** Reports that changed nothing: unknown, late, duplicate or superseded (metric ignored-reports-total). */
  private Sensor ignoredReports;
  /** Reports for a study this task has never been given (metric unknown-study-reports-total). */
  private Sensor unknownStudyReports;
  /** Records forwarded to the partition their study id maps to (metric routed-records-total). */
  private Sensor routedRecords;
  /** Studies whose forwarded records, and whose reports for an unknown study, were logged already. */
  private final Set<String> routedLogged = Routing.rememberedStudies();
  private final Set<String> unknownLogged = Routing.rememberedStudies();

  /**
   * @param punctuateInterval how often the engine is given the time
   * @param partitions the partition count of the input topics, for the {@link Routing} check
   * @param limits what one study may ask of the scheduler
   * @param metrics the scheduler instance's meters, shared by its processors
   */
  StudyProcessor(final Duration punctuateInterval, final int partitions, final Limits limits,
      final SchedulerMetrics metrics) {
    this.punctuateInterval = punctuateInterval;
    this.routing = new Routing(partitions);
    this.limits = limits;
    this.metrics = metrics;
    this.unstarted = new UnstartedJobs(metrics);
  }

  @Override
  public void init(final ProcessorContext<String, Object> context) {
    this.context = context;
    final KeyValueStore<String, StudyCommand> specs = context.getStateStore(SchedulerTopology.SPECS_STORE);
    final KeyValueStore<String, StudyState> studies = context.getStateStore(SchedulerTopology.STUDIES_STORE);
    final KeyValueStore<String, TrialState> trials = context.getStateStore(SchedulerTopology.TRIALS_STORE);
    final StudyStores stores = new StudyStores(table(specs), table(studies), table(trials),
        new KeyValueOrderedStore(context.getStateStore(SchedulerTopology.RUNGS_STORE)),
        new KeyValueOrderedStore(context.getStateStore(SchedulerTopology.DEADLINES_STORE)));
    this.ignoredReports = sensor("ignored-reports");
    this.unknownStudyReports = sensor("unknown-study-reports");
    this.routedRecords = sensor("routed-records");
    this.engine = new StudyEngine(stores, context::currentSystemTimeMs, new Forwarder(), limits);
    context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, now -> engine.onTime());
  }

  private Sensor sensor(final String name) {
    return context.metrics().addRateTotalSensor("kasha", context.taskId().toString(), name,
        Sensor.RecordingLevel.INFO);
  }

  @Override
  public void close() {
    unstarted.clear();
    context.metrics().removeSensor(ignoredReports);
    context.metrics().removeSensor(unknownStudyReports);
    context.metrics().removeSensor(routedRecords);
  }

  @Override
  public void process(final Record<String, Object> record) {
    if (forwardedHome(record)) {
      return;
    }
    trigger = record;
    try {
      if (record.value() instanceof StudyCommand command) {
        engine.onCommand(record.key(), command);
      } else if (record.value() instanceof TrialReport report) {
        metrics.reportLag(context.currentSystemTimeMs() - record.timestamp());
        reportIgnored = false;
        engine.onReport(report);
        if (!reportIgnored) {
          unstarted.reported(report.getTrialId(), report.getJobId());
        }
      }
    } finally {
      trigger = null;
    }
  }

  /**
   * Forwards a record that arrived on another partition than its study id maps to (see {@link
   * Routing}), keyed by its study id; true if it was forwarded, and so is not handled here.
   */
  private boolean forwardedHome(final Record<String, Object> record) {
    final String studyId = studyId(record);
    final Optional<RecordMetadata> metadata = context.recordMetadata();
    if (studyId == null || metadata.isEmpty()) {
      return false;
    }
    final int home = routing.forwardTo(studyId, metadata.get().partition(), record.headers());
    if (home < 0) {
      return false;
    }
    final String from = metadata.get().topic() + ":" + metadata.get().partition();
    if (routedLogged.add(studyId)) {
      LOG.info("Study {}: a record arrived on {} but the study id maps to partition {} under Kafka's default "
          + "partitioner (murmur2 of the key), so it was forwarded there; the producer uses another partitioner "
          + "(librdkafka's default is consistent_random) or keys the record by something other than the study id. "
          + "Logged once per study; routed-records-total counts them.", studyId, from, home);
    }
    routedRecords.record();
    metrics.recordRouted();
    final Record<String, Object> forwarded = record.withKey(studyId);
    forwarded.headers().add(Routing.ROUTED_FROM, from.getBytes(StandardCharsets.UTF_8));
    context.forward(forwarded, record.value() instanceof StudyCommand
        ? SchedulerTopology.STUDIES_ROUTE_SINK : SchedulerTopology.REPORTS_ROUTE_SINK);
    return true;
  }

  /** The study a command or a report is about, as the engine reads it; null if it names none. */
  private static String studyId(final Record<String, Object> record) {
    if (record.value() instanceof StudyCommand command) {
      return StudyEngine.studyIdOf(record.key(), command);
    }
    return record.value() instanceof TrialReport report && !report.getStudyId().isBlank()
        ? report.getStudyId() : null;
  }

  private static <V> Table<V> table(final KeyValueStore<String, V> store) {
    return Table.of(store::get, store::put, store::delete);
  }

  /**
   * Jobs to the trial-jobs topic, events to the audit log; a study's acceptance and completion also go
   * to the compacted study-status topic, where runners learn which studies have ended.
   */
  private final class Forwarder implements StudyEngine.Output {
    @Override
    public void job(final TrialJob job) {
      forward(job.getTrialId(), job, SchedulerTopology.JOBS_SINK);
      metrics.jobIssued();
      unstarted.issued(job);
    }

    @Override
    public void event(final StudyEvent event) {
      forward(event.getStudyId(), event, SchedulerTopology.EVENTS_SINK);
      if (event.getType() == EventType.STUDY_ACCEPTED || event.getType() == EventType.STUDY_COMPLETED) {
        forward(event.getStudyId(), event, SchedulerTopology.STATUS_SINK);
      }
      metrics.event(event.getType());
      if (event.getType() == EventType.STUDY_COMPLETED) {
        unstarted.studyEnded(event.getStudyId());
      }
    }

    @Override
    public void ignored() {
      ignoredReports.record();
      metrics.reportIgnored();
      reportIgnored = true;
    }

    @Override
    public void unknownStudy(final TrialReport report) {
      unknownStudyReports.record();
      metrics.reportForUnknownStudy();
      if (unknownLogged.add(report.getStudyId())) {
        LOG.warn("Study {}: a report of trial {} reached task {}, which has never been given this study; it is "
            + "ignored. Likely causes: the study's command was written to another cluster or topic prefix, or "
            + "never written; or the partition counts of the studies and trial-reports topics were changed after "
            + "the study started. Logged once per study; unknown-study-reports-total counts them.",
            report.getStudyId(), report.getTrialId(), context.taskId());
      }
    }

    private void forward(final String key, final Object value, final String sink) {
      final Record<String, Object> out = trigger != null
          ? trigger.withKey(key).withValue(value)
          : new Record<>(key, value, context.currentSystemTimeMs());
      context.forward(out, sink);
    }
  }
}
