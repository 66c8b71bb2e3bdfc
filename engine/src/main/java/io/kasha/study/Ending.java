package io.kasha.study;

import io.kasha.method.ParetoFront;
import io.kasha.schemas.EventType;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.StudyEvent;
import java.util.Map;

/**
 * A study's best result and its end: the study-completed event with the best trial (and the Pareto
 * front of a multi-objective study), then the release of every checkpoint but the best trial's last
 * ({@link Sweep}).
 */
final class Ending {

  private final Table<TrialState> trials;
  private final Deadlines deadlines;
  private final Runtimes runtimes;
  private final AuditLog log;
  private final Sweep sweep;

  Ending(final Table<TrialState> trials, final Deadlines deadlines, final Runtimes runtimes, final AuditLog log,
      final Sweep sweep) {
    this.trials = trials;
    this.deadlines = deadlines;
    this.runtimes = runtimes;
    this.log = log;
    this.sweep = sweep;
  }

  /** Records a result as the study's best if it is at a higher resource, or as good a one and better. */
  void offerBest(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final int rung, final double metric) {
    final long resource = runtime.resource(trial.trialId, rung);
    final long bestResource = study.bestTrialId == null ? -1 : runtime.resource(study.bestTrialId, study.bestRung);
    final boolean better = resource > bestResource
        || (resource == bestResource && runtime.better(metric, study.bestMetric));
    if (!better) {
      return;
    }
    study.bestRung = rung;
    study.bestMetric = metric;
    study.bestTrialId = trial.trialId;
    log.emit(study, AuditLog.trialEvent(study, EventType.BEST_IMPROVED, trial, runtime, rung)
        .setMetric(metric)
        .setReason("best result at the highest rung reached (rung " + rung + ")"));
  }

  void finish(final StudyState study, final StudyRuntime runtime, final StudyState.Status status,
      final String reason) {
    study.status = status;
    final Long budget = runtime.spec().getMaxDurationMs();
    if (budget != null) {
      deadlines.delete(study.acceptedAtMs + budget, Deadlines.STUDY_BUDGET, study.studyId);
    }
    final StudyEvent.Builder completed = AuditLog.event(study, EventType.STUDY_COMPLETED)
        .setStatus(status.name())
        .setReason(reason + "; " + study.trialsCreated + " trials, " + study.trialsCompleted + " at the top rung, "
            + (study.trialsStopped > 0 ? study.trialsStopped + " stopped, " : "") + study.trialsFailed + " failed");
    final TrialState best = study.bestTrialId == null ? null : trials.get(study.bestTrialId);
    if (best != null) {
      completed.setTrialId(best.trialId)
          .setRung(study.bestRung)
          .setResource(runtime.resource(best.trialId, study.bestRung))
          .setMetric(study.bestMetric)
          .setParams(best.params);
    }
    completed.setParetoFront(runtime.paretoFront().stream().map(this::paretoPoint).toList());
    log.emit(study, completed);
    if (runtime.spec().getKeepCheckpoints()) {
      study.sweepFrom = -1;
    } else {
      // every trial's checkpoints but the best trial's last one, in batches (see Sweep)
      sweep.restart(study, runtime);
    }
    runtimes.forget(study.studyId);
  }

  private ParetoPoint paretoPoint(final ParetoFront.FrontMember member) {
    final TrialState trial = trials.get(member.trialId());
    return ParetoPoint.newBuilder().setTrialId(member.trialId()).setRung(member.rung())
        .setMetrics(member.metrics()).setParams(trial == null ? Map.of() : trial.params).build();
  }
}
