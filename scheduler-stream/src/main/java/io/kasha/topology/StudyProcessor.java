package io.kasha.topology;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.study.StudyEngine;
import io.kasha.study.StudyState;
import io.kasha.study.StudyStores;
import io.kasha.study.Table;
import io.kasha.study.TrialState;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the studies of its task through a {@link StudyEngine} over the task's state stores: hands it
 * each study command and trial report, punctuates it on wall-clock time (leases, time budgets), and
 * forwards what it puts out. Every decision, the state change it makes and the records it emits
 * commit together (exactly-once).
 */
final class StudyProcessor implements Processor<String, Object, String, Object> {

  private final Duration punctuateInterval;
  private ProcessorContext<String, Object> context;
  private StudyEngine engine;
  /** The input record being handled, whose timestamp and headers the emitted records keep. */
  private Record<String, Object> trigger;
  /** Reports that changed nothing: unknown, late, duplicate or superseded (metric ignored-reports-total). */
  private Sensor ignoredReports;

  StudyProcessor(final Duration punctuateInterval) {
    this.punctuateInterval = punctuateInterval;
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
    this.ignoredReports = context.metrics().addRateTotalSensor("kasha", context.taskId().toString(),
        "ignored-reports", Sensor.RecordingLevel.INFO);
    this.engine = new StudyEngine(stores, context::currentSystemTimeMs, new Forwarder());
    context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, now -> engine.onTime());
  }

  @Override
  public void close() {
    context.metrics().removeSensor(ignoredReports);
  }

  @Override
  public void process(final Record<String, Object> record) {
    trigger = record;
    try {
      if (record.value() instanceof StudyCommand command) {
        engine.onCommand(record.key(), command);
      } else if (record.value() instanceof TrialReport report) {
        engine.onReport(report);
      }
    } finally {
      trigger = null;
    }
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
    }

    @Override
    public void event(final StudyEvent event) {
      forward(event.getStudyId(), event, SchedulerTopology.EVENTS_SINK);
      if (event.getType() == EventType.STUDY_ACCEPTED || event.getType() == EventType.STUDY_COMPLETED) {
        forward(event.getStudyId(), event, SchedulerTopology.STATUS_SINK);
      }
    }

    @Override
    public void ignored() {
      ignoredReports.record();
    }

    private void forward(final String key, final Object value, final String sink) {
      final Record<String, Object> out = trigger != null
          ? trigger.withKey(key).withValue(value)
          : new Record<>(key, value, context.currentSystemTimeMs());
      context.forward(out, sink);
    }
  }
}
