package io.kasha.study;

import io.kasha.method.Outcome;
import io.kasha.method.PbtDecision;
import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialReport;
import io.kasha.space.Observation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of a trial's segment, as its runner reports it: a result the tuning method records and
 * decides on (complete, stop, pause, continue or exploit), or a failure that is retried while attempts
 * are left.
 */
final class Segments {

  private final Table<TrialState> trials;
  private final Jobs jobs;
  private final Slots slots;
  private final Ending ending;
  private final AuditLog log;
  private final Work work;

  /** The longest checkpoint URI a completed segment may report. */
  static final int MAX_CHECKPOINT_URI = 2_048;

  /** The most characters of a runner's text (a failure message, the metric names) an event repeats. */
  static final int MAX_QUOTED = 1_000;

  Segments(final Table<TrialState> trials, final Jobs jobs, final Slots slots, final Ending ending,
      final AuditLog log, final Work work) {
    this.trials = trials;
    this.jobs = jobs;
    this.slots = slots;
    this.ending = ending;
    this.log = log;
    this.work = work;
  }

  void completed(final StudyState study, final StudyRuntime runtime, final TrialState trial, final TrialReport report) {
    final String uri = report.getCheckpointUri();
    if (uri != null && uri.length() > MAX_CHECKPOINT_URI) {
      // kept in the trial's state and sent with each of its jobs, so a runner's URI is bounded
      jobs.fail(study, runtime, trial, "the completed segment's checkpointUri has " + uri.length()
          + " characters, over the limit of " + MAX_CHECKPOINT_URI);
      slots.fill(study, runtime);
      return;
    }
    for (final String metricName : runtime.method().metrics()) {
      if (report.getMetrics().get(metricName) == null) {
        jobs.fail(study, runtime, trial, "the completed segment reported no '" + metricName + "' (reported: "
            + shortened(String.valueOf(report.getMetrics().keySet())) + ")");
        slots.fill(study, runtime);
        return;
      }
    }
    final double metric = report.getMetrics().get(runtime.method().metrics().get(0));
    jobs.release(study, runtime, trial);
    final int rung = trial.rung;
    trial.checkpointUri = report.getCheckpointUri();
    trial.checkpointsReleased = false;
    final Outcome outcome = runtime.method().record(trial.trialId, rung, report.getMetrics(), trial.checkpointUri);
    trial.status = switch (outcome.action()) {
      case COMPLETE -> TrialState.Status.COMPLETED;
      case STOP -> TrialState.Status.STOPPED;
      default -> TrialState.Status.PAUSED;
    };
    trials.put(trial.trialId, trial);
    runtime.history().add(new Observation(trial.index(), trial.params, rung, metric));
    final StudyEvent.Builder result = AuditLog.trialEvent(study, EventType.RUNG_RESULT, trial, runtime, rung)
        .setMetric(metric)
        .setReason(outcome.resultNote());
    if (runtime.method().metrics().size() > 1) {
      result.setMetrics(objectiveValues(runtime, report));
    }
    log.emit(study, result);
    switch (outcome.action()) {
      case COMPLETE -> {
        study.trialsCompleted++;
        log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_COMPLETED, trial, runtime, rung)
            .setMetric(metric)
            .setReason("reached the top rung (" + runtime.resource(trial.trialId, rung) + " "
                + runtime.spec().getResourceName() + ")"));
      }
      case STOP -> {
        study.trialsStopped++;
        log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_STOPPED, trial, runtime, rung)
            .setMetric(metric)
            .setReason(outcome.reason()));
      }
      default -> { }
    }
    ending.offerBest(study, runtime, trial, rung, metric);
    if (outcome.action() == Outcome.Action.STOP && !trial.trialId.equals(study.bestTrialId)
        && !runtime.spec().getKeepCheckpoints()) {
      final Releases releases = new Releases(trials, log, study, null, trial.trialId
          + " was stopped and trains no further");
      releases.addForGood(trial);
      releases.flush();
    }
    if (runtime.isTop(trial.trialId, rung) && runtime.reachesTarget(metric)) {
      ending.finish(study, runtime, StudyState.Status.TARGET_REACHED,
          trial.trialId + " reached the target " + runtime.spec().getTarget() + " with " + metric);
      return;
    }
    if (outcome.action() == Outcome.Action.CONTINUE || outcome.action() == Outcome.Action.EXPLOIT) {
      // the trial's own next job is one of this report's decisions: the free slots get the rest of the batch
      work.take();
    }
    if (outcome.action() == Outcome.Action.CONTINUE) {
      log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_CONTINUED, trial, runtime, rung)
          .setMetric(metric)
          .setReason("continues to rung " + (rung + 1) + ": " + outcome.reason()));
      jobs.issue(study, runtime, trial, rung + 1, 1);
    } else if (outcome.action() == Outcome.Action.EXPLOIT) {
      exploit(study, runtime, trial, metric, outcome);
    }
    slots.fill(study, runtime);
  }

  /**
   * Population based training's exploit: the trial takes the donor's explored parameters and its
   * next segment resumes from the donor's checkpoint; the event is the trial's lineage entry.
   */
  private void exploit(final StudyState study, final StudyRuntime runtime, final TrialState trial,
      final double metric, final Outcome outcome) {
    final PbtDecision.Exploit exploit = outcome.exploit();
    trial.params = new LinkedHashMap<>(exploit.newParams());
    trial.checkpointUri = outcome.donorCheckpoint();
    trial.generation++;
    trials.put(trial.trialId, trial);
    log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_EXPLOITED, trial, runtime, outcome.donorRung())
        .setMetric(metric)
        .setDonorTrialId(exploit.donorId())
        .setReason(outcome.reason() + "; parameters " + exploit.oldParams() + " -> " + exploit.newParams()));
    jobs.issue(study, runtime, trial, outcome.donorRung() + 1, 1);
  }

  private static Map<String, Double> objectiveValues(final StudyRuntime runtime, final TrialReport report) {
    final Map<String, Double> values = new LinkedHashMap<>();
    for (final String name : runtime.method().metrics()) {
      values.put(name, report.getMetrics().get(name));
    }
    return values;
  }

  void failed(final StudyState study, final StudyRuntime runtime, final TrialState trial, final TrialReport report) {
    final FailureKind kind = report.getFailureKind() == null ? FailureKind.ERROR : report.getFailureKind();
    final String cause = kind + (report.getMessage() == null ? "" : ": " + shortened(report.getMessage()));
    if (kind == FailureKind.CANCELLED) {
      return;
    }
    if (kind != FailureKind.UNKNOWN_ENTRYPOINT && trial.attempt < runtime.spec().getMaxAttempts()) {
      jobs.release(study, runtime, trial);
      log.emit(study, AuditLog.trialEvent(study, EventType.JOB_REISSUED, trial, runtime, trial.rung)
          .setReason("attempt " + trial.attempt + " failed (" + cause + "); retrying"));
      jobs.issue(study, runtime, trial, trial.rung, trial.attempt + 1);
      return;
    }
    jobs.fail(study, runtime, trial, "attempt " + trial.attempt + " of " + runtime.spec().getMaxAttempts()
        + " failed (" + cause + ")");
    slots.fill(study, runtime);
  }

  /** A runner's text as an event quotes it: at most {@link #MAX_QUOTED} characters. */
  private static String shortened(final String text) {
    return text.length() <= MAX_QUOTED ? text
        : text.substring(0, MAX_QUOTED) + "... (" + (text.length() - MAX_QUOTED) + " more characters)";
  }
}
