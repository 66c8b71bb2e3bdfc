package io.kasha.study;

import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fuzzed study given to a {@link StudyEngine} over {@link StudyStores#inMemory()} and, if accepted,
 * played to its end by runners that answer its jobs in a random order: most with a result (sometimes
 * NaN or infinite, sometimes without the metric, sometimes twice), some with a failure of any kind,
 * some never (a runner that died, so the lease runs out), while the clock moves on. Checks on the way
 * what must hold of every call: it emits at most a batch of jobs, event numbers run on by one, and
 * nothing but released checkpoints comes after the study's end.
 */
final class PlayedStudy implements StudyEngine.Output {

  /** The most engine calls a study may take to end: far more than any fuzzed study needs (see the figures). */
  static final int MAX_CALLS = 200_000;

  /** The most calls after the end for the released checkpoints to come out. */
  private static final int MAX_CALLS_AFTER_END = 1_000;

  private final FuzzCase fuzz;
  private final StudySpec spec;
  private final Random random;
  private final StudyEngine engine;
  private final List<StudyEvent> events = new ArrayList<>();
  private final List<TrialJob> pending = new ArrayList<>();
  private final List<String> metrics = new ArrayList<>();
  private long now = 1_000_000;
  private int callJobs;
  private int calls;
  private int jobs;
  private StudyEvent end;

  PlayedStudy(final FuzzCase fuzz) {
    this.fuzz = fuzz;
    this.spec = fuzz.spec();
    this.random = new Random(fuzz.runnerSeed());
    this.engine = new StudyEngine(StudyStores.inMemory(), () -> now, this, fuzz.limits());
    metrics.add(spec.getMetric());
    if (spec.getSchedulerOptions() != null) {
      spec.getSchedulerOptions().getObjectives().stream().map(ObjectiveSpec::getMetric).forEach(metrics::add);
    }
  }

  /** Creates the study (the command through the Avro encoding, as the scheduler reads it) and plays it. */
  PlayedStudy play() throws java.io.IOException {
    final StudyCommand command = StudyCommand.fromByteBuffer(StudyCommand.newBuilder()
        .setStudyId(fuzz.studyId()).setAction(StudyAction.CREATE).setSpec(spec).build().toByteBuffer());
    call(() -> engine.onCommand(fuzz.studyId(), command));
    if (!accepted()) {
      return this;
    }
    while (end == null) {
      if (calls > MAX_CALLS) {
        throw new AssertionError("the study has not ended after " + calls + " calls (" + jobs + " jobs, "
            + pending.size() + " pending); last events: " + events.subList(Math.max(0, events.size() - 5),
            events.size()));
      }
      step();
    }
    // what the runners still hold is late now, and the released checkpoints come out within calls
    while (!pending.isEmpty()) {
      answer(pending.remove(pending.size() - 1));
    }
    int quiet = 0;
    for (int i = 0; quiet < 3; i++) {
      if (i > MAX_CALLS_AFTER_END) {
        throw new AssertionError("events still come out " + i + " calls after the study's end");
      }
      final int before = events.size();
      now += 100;
      call(engine::onTime);
      quiet = events.size() == before ? quiet + 1 : 0;
    }
    return this;
  }

  private void step() {
    final int choice = random.nextInt(100);
    if (pending.isEmpty()) {
      // nothing to answer: only the clock can move the study on (a lease, a time budget, put-off work)
      now += choice < 50 ? 100 : spec.getLeaseMs() + 1;
      call(engine::onTime);
    } else if (choice < 10) {
      now += 1 + random.nextInt(2_000);
      call(engine::onTime);
    } else {
      answer(pending.remove(random.nextInt(pending.size())));
    }
  }

  /** What one runner does with one job. */
  private void answer(final TrialJob job) {
    final int choice = random.nextInt(100);
    if (choice < 4) {
      return;
    }
    if (choice < 10) {
      report(job, ReportKind.values()[random.nextInt(2)], Map.of(), null);
    }
    if (choice >= 10 && choice < 16) {
      final FailureKind[] kinds = FailureKind.values();
      report(job, ReportKind.SEGMENT_FAILED, Map.of(), random.nextInt(kinds.length + 1) == 0 ? null
          : kinds[random.nextInt(kinds.length)]);
      return;
    }
    final Map<String, Double> values = new LinkedHashMap<>();
    if (choice >= 19) {
      metrics.forEach(name -> values.put(name, value()));
    }
    values.put("noise", value());
    report(job, ReportKind.SEGMENT_COMPLETED, values, null);
    if (choice >= 96) {
      report(job, ReportKind.SEGMENT_COMPLETED, values, null);
    }
  }

  private double value() {
    final int choice = random.nextInt(100);
    if (choice < 6) {
      return Double.NaN;
    }
    if (choice < 9) {
      return choice == 6 ? Double.POSITIVE_INFINITY : choice == 7 ? Double.NEGATIVE_INFINITY : Double.MAX_VALUE;
    }
    return choice < 20 ? random.nextInt(3) : random.nextGaussian() * 10;
  }

  private void report(final TrialJob job, final ReportKind kind, final Map<String, Double> values,
      final FailureKind failure) {
    final TrialReport report = TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(kind).setResource(job.getResourceTo()).setMetrics(values)
        .setCheckpointUri(random.nextInt(10) == 0 ? null : "mem://" + job.getJobId())
        .setFailureKind(failure).setMessage(failure == null ? null : "fuzzed failure").build();
    call(() -> engine.onReport(report));
  }

  private void call(final Runnable engineCall) {
    callJobs = 0;
    calls++;
    engineCall.run();
  }

  @Override
  public void job(final TrialJob job) {
    if (end != null) {
      throw new AssertionError("a job after the study's end: " + job);
    }
    if (++callJobs > fuzz.batch()) {
      throw new AssertionError("one call emitted more than the batch of " + fuzz.batch() + " jobs: " + job);
    }
    jobs++;
    pending.add(job);
  }

  @Override
  public void event(final StudyEvent event) {
    if (event.getSeq() != events.size() + 1) {
      throw new AssertionError("event " + event.getSeq() + " after " + events.size() + " events: " + event);
    }
    if (end != null && event.getType() != EventType.CHECKPOINTS_RELEASED) {
      throw new AssertionError("an event after the study's end: " + event);
    }
    if (event.getType() == EventType.STUDY_COMPLETED) {
      end = event;
    }
    events.add(event);
  }

  List<StudyEvent> events() {
    return events;
  }

  boolean accepted() {
    return !events.isEmpty() && events.get(0).getType() == EventType.STUDY_ACCEPTED;
  }

  /** The study's end status (COMPLETED, TIME_BUDGET, TARGET_REACHED), or null if it was rejected. */
  String status() {
    return end == null ? null : end.getStatus();
  }

  int calls() {
    return calls;
  }

  int jobs() {
    return jobs;
  }
}
