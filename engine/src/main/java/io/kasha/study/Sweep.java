package io.kasha.study;

import java.util.HashMap;
import java.util.Map;

/**
 * Releases checkpoints that nothing will read again, trial by trial in creation order, within the
 * call's {@link Work}: while a study runs, those of paused trials left in its closed rungs (but the best
 * trial's); once it has ended, every trial's but the best trial's last checkpoint. Where it stopped is
 * kept in {@link StudyState#sweepFrom}, and a continuation takes it on from there, so a study of a
 * million trials ends in many small transactions rather than one that outlasts the transaction timeout.
 */
final class Sweep {

  private final Table<TrialState> trials;
  private final AuditLog log;
  private final Work work;
  private final Continuations continuations;

  Sweep(final Table<TrialState> trials, final AuditLog log, final Work work, final Continuations continuations) {
    this.trials = trials;
    this.log = log;
    this.work = work;
    this.continuations = continuations;
  }

  /** Sweeps the study from its first trial (a rung closed, or the study ended). */
  void restart(final StudyState study, final StudyRuntime runtime) {
    study.sweepFrom = 0;
    resume(study, runtime);
  }

  /** Goes on from where the study's sweep stopped, if one is under way; {@code runtime} is unused once it ended. */
  void resume(final StudyState study, final StudyRuntime runtime) {
    if (study.sweepFrom < 0) {
      return;
    }
    final boolean ended = !study.running();
    final Releases atEnd = ended ? endOfStudy(study) : null;
    final Map<Integer, Releases> byRung = new HashMap<>();
    while (study.sweepFrom < study.trialsCreated && work.take()) {
      final TrialState trial = trials.get(TrialState.id(study.studyId, study.sweepFrom++));
      if (trial == null || trial.checkpointsReleased) {
        continue;
      }
      if (ended) {
        atEnd.add(trial);
      } else if (trial.status == TrialState.Status.PAUSED && !trial.trialId.equals(study.bestTrialId)) {
        final int rung = runtime.closableRung(trial.trialId, trial.rung);
        if (rung >= 0 && study.closedRungs != null && study.closedRungs[rung]) {
          byRung.computeIfAbsent(rung, r -> new Releases(trials, log, study, null, runtime.closable().rungName(r)
              + " is closed: nothing more enters it and none of its waiting results can be promoted, so these "
              + "trials train no further")).addForGood(trial);
        }
      }
    }
    if (atEnd != null) {
      atEnd.flush();
    }
    byRung.keySet().stream().sorted().forEach(rung -> byRung.get(rung).flush());
    if (study.sweepFrom >= study.trialsCreated) {
      study.sweepFrom = -1;
    } else {
      continuations.schedule(study);
    }
  }

  /** The releases of an ended study: every checkpoint but the best trial's last one. */
  private Releases endOfStudy(final StudyState study) {
    final TrialState best = study.bestTrialId == null ? null : trials.get(study.bestTrialId);
    final String keep = best == null ? null : best.checkpointUri;
    return new Releases(trials, log, study, keep,
        "the study has ended" + (keep == null ? "" : "; the best trial's last checkpoint is kept"));
  }
}
