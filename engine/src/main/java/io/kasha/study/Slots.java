package io.kasha.study;

import io.kasha.method.ClosableRungs;
import io.kasha.method.Promotion;
import io.kasha.method.TuningMethod;
import io.kasha.schemas.EventType;
import io.kasha.schemas.SchedulerKind;
import io.kasha.space.History;
import io.kasha.space.Observation;
import io.kasha.space.Suggestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Fills a study's free job slots, one decision at a time: the best promotable trial of the highest
 * rung, else a new trial while the budget and the tuning method allow; then closes the rungs that can
 * close and ends the study when nothing runs and nothing more can start.
 */
final class Slots {

  private final Table<TrialState> trials;
  private final Jobs jobs;
  private final Ending ending;
  private final AuditLog log;
  private final Work work;
  private final Continuations continuations;
  private final Sweep sweep;

  Slots(final Table<TrialState> trials, final Jobs jobs, final Ending ending, final AuditLog log, final Work work,
      final Continuations continuations, final Sweep sweep) {
    this.trials = trials;
    this.jobs = jobs;
    this.ending = ending;
    this.log = log;
    this.work = work;
    this.continuations = continuations;
    this.sweep = sweep;
  }

  /**
   * Fills free slots while the call's {@link Work} lasts; what is left is continued at the next
   * punctuation, and the study ends or its rungs close only once every slot that can be filled is.
   */
  void fill(final StudyState study, final StudyRuntime runtime) {
    final TuningMethod method = runtime.method();
    // one slot at a time: the method's next promotion (marked before the job starts), else a new trial
    // while the budget and the method allow one; every job started takes a slot, so this ends
    boolean putOff = false;
    while (study.running() && study.inFlight < runtime.spec().getParallelism()) {
      if (!work.take()) {
        putOff = true;
        break;
      }
      final Optional<Promotion> promotion = method.nextPromotion();
      if (promotion.isPresent()) {
        method.markPromoted(promotion.get());
        promote(study, runtime, promotion.get());
      } else if (study.trialsCreated < runtime.trialLimit() && method.admitsTrial()) {
        createTrial(study, runtime);
      } else {
        break;
      }
    }
    final List<String> passedOver = method.takePassedOver();
    if (putOff) {
      continuations.schedule(study);
    }
    if (putOff && study.running()) {
      releaseLeftBehind(study, runtime, passedOver);
    } else if (study.running() && study.inFlight == 0) {
      ending.finish(study, runtime, StudyState.Status.COMPLETED, "every trial has finished and no result is promotable");
    } else if (study.running()) {
      releaseLeftBehind(study, runtime, passedOver);
      closeRungs(study, runtime);
    }
  }

  private void releaseLeftBehind(final StudyState study, final StudyRuntime runtime, final List<String> passedOver) {
    if (!runtime.spec().getKeepCheckpoints()) {
      releaseLeftBehind(study, passedOver, "their rung's promotions have all started without them, so these "
          + "trials train no further");
    }
  }

  /**
   * Closes the rungs that can close, for a method whose rungs close: a rung closes once nothing can
   * enter it (the trial budget is spent for a bracket's first rung, the rung below is closed for the
   * others), no job runs toward it and the method can promote nothing more out of it. Its waiting
   * trials then never train again, so their checkpoints are released by the {@link Sweep}, unless the
   * study keeps them. A raised trial budget opens the rungs again; a released trial promoted after that
   * restarts from 0. Free while the trial budget lasts; a read per open rung after.
   */
  private void closeRungs(final StudyState study, final StudyRuntime runtime) {
    final ClosableRungs rungs = runtime.closable();
    if (rungs == null || study.runningAtRung == null || study.trialsCreated < runtime.trialLimit()) {
      return;
    }
    if (study.closedRungs == null) {
      study.closedRungs = new boolean[rungs.closableRungs()];
    }
    // a rung's feeder has a lower number, so one pass in order closes every rung that can close
    boolean closed = false;
    for (int rung = 0; rung < study.closedRungs.length; rung++) {
      final int feeder = rungs.feederOf(rung);
      if (study.closedRungs[rung] || (feeder >= 0 && !study.closedRungs[feeder])
          || study.runningAtRung[rung] > 0 || rungs.promotable(rung)) {
        continue;
      }
      study.closedRungs[rung] = true;
      closed = true;
    }
    if (closed && !runtime.spec().getKeepCheckpoints()) {
      sweep.restart(study, runtime);
    }
  }

  /**
   * Releases the checkpoints of paused trials that will never train again, but the best trial's;
   * each released trial restarts from 0 should it be promoted after all.
   */
  void releaseLeftBehind(final StudyState study, final List<String> trialIds, final String why) {
    final Releases releases = new Releases(trials, log, study, null, why);
    for (final String trialId : trialIds) {
      final TrialState trial = trials.get(trialId);
      if (trial != null && !trialId.equals(study.bestTrialId) && trial.status == TrialState.Status.PAUSED
          && !trial.checkpointsReleased) {
        releases.addForGood(trial);
      }
    }
    releases.flush();
  }

  /** Goes on with the study's put-off work: slots to fill, checkpoints to release. */
  void resume(final StudyState study, final StudyRuntime runtime) {
    if (study.running()) {
      fill(study, runtime);
    }
    sweep.resume(study, runtime);
  }

  /** Starts the next job of a trial whose promotion the method has already marked. */
  private void promote(final StudyState study, final StudyRuntime runtime, final Promotion promotion) {
    final TrialState trial = trials.get(promotion.trialId());
    final String restart = trial.checkpointUri == null ? "; no checkpoint, so it restarts from 0" : "";
    log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_PROMOTED, trial, runtime, promotion.fromRung())
        .setMetric(promotion.metric())
        .setReason("promoted to rung " + promotion.toRung() + ": " + promotion.reason() + restart));
    jobs.issue(study, runtime, trial, promotion.toRung(), 1);
  }

  private void createTrial(final StudyState study, final StudyRuntime runtime) {
    final long index = study.trialsCreated++;
    final Suggestion suggestion = runtime.searcher().suggest(index, history(study.studyId, index, runtime));
    final TrialState trial = new TrialState(TrialState.id(study.studyId, index), study.studyId, suggestion.params());
    runtime.method().addTrial(trial.trialId, suggestion.params());
    log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_CREATED, trial, runtime, 0)
        .setReason("no rung has a promotable result; configuration " + (index + 1) + " of "
            + runtime.trialLimit() + " (" + suggestion.how() + ")"));
    jobs.issue(study, runtime, trial, 0, 1);
  }

  /**
   * The results of the study's first {@code trialCount} trials, by trial then rung, for a searcher
   * that learns from them: read from the stores once, then kept up to date on the heap ({@link
   * StudyHistory}), so a restarted engine sees the same history. Empty, and free, for searchers that
   * ignore it.
   */
  private History history(final String studyId, final long trialCount, final StudyRuntime runtime) {
    if (!runtime.searcher().usesHistory()) {
      return History.EMPTY;
    }
    if (runtime.spec().getScheduler() == SchedulerKind.PBT) {
      // an exploit replaces a trial's parameters, so its history is always read as the stores have it now
      return new History(historyFromStores(studyId, trialCount, runtime));
    }
    return runtime.history().snapshot(() -> historyFromStores(studyId, trialCount, runtime));
  }

  private List<Observation> historyFromStores(final String studyId, final long trialCount, final StudyRuntime runtime) {
    final List<Observation> results = new ArrayList<>();
    for (long index = 0; index < trialCount; index++) {
      final TrialState trial = trials.get(TrialState.id(studyId, index));
      if (trial == null) {
        continue;
      }
      for (int rung = 0; rung <= runtime.schedule(trial.trialId).topRung(); rung++) {
        final OptionalDouble metric = runtime.method().metric(rung, trial.trialId);
        if (metric.isEmpty()) {
          break;
        }
        results.add(new Observation(index, trial.params, rung, metric.getAsDouble()));
      }
    }
    return results;
  }
}
