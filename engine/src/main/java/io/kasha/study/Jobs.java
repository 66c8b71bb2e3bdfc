package io.kasha.study;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import java.util.function.LongSupplier;

/**
 * A trial's jobs: issuing one (with its lease in the deadlines store), renewing and ending its lease,
 * and failing the trial. A job id names the trial, its exploit generation, the rung and the attempt,
 * so a report for any other job of the trial is recognised as late.
 */
final class Jobs {

  private final Table<TrialState> trials;
  private final Deadlines deadlines;
  private final AuditLog log;
  private final LongSupplier clock;

  Jobs(final Table<TrialState> trials, final Deadlines deadlines, final AuditLog log, final LongSupplier clock) {
    this.trials = trials;
    this.deadlines = deadlines;
    this.log = log;
    this.clock = clock;
  }

  void issue(final StudyState study, final StudyRuntime runtime, final TrialState trial, final int rung,
      final int attempt) {
    final StudySpec spec = runtime.spec();
    final boolean resumes = rung > 0 && trial.checkpointUri != null;
    trial.rung = rung;
    trial.attempt = attempt;
    trial.jobId = trial.trialId + (trial.generation == 0 ? "" : "-g" + trial.generation) + "-r" + rung + "-a"
        + attempt;
    trial.status = TrialState.Status.RUNNING;
    study.jobStarted(runtime.closableRung(trial.trialId, rung));
    final TrialJob job = TrialJob.newBuilder()
        .setJobId(trial.jobId)
        .setStudyId(study.studyId)
        .setTrialId(trial.trialId)
        .setEntrypoint(spec.getEntrypoint())
        .setParams(trial.params)
        .setMetric(spec.getMetric())
        .setResourceName(spec.getResourceName())
        .setResourceFrom(resumes ? runtime.resource(trial.trialId, rung - 1) : 0)
        .setResourceTo(runtime.resource(trial.trialId, rung))
        .setRung(rung)
        .setCheckpointIn(resumes ? trial.checkpointUri : null)
        .setAttempt(attempt)
        .setLeaseMs(spec.getLeaseMs())
        .setCheckpointName(trial.generation == 0 ? null : trial.trialId + "-g" + trial.generation)
        .build();
    trial.leaseDeadlineMs = clock.getAsLong() + spec.getLeaseMs();
    trial.leaseEntryMs = trial.leaseDeadlineMs;
    deadlines.put(trial.leaseEntryMs, Deadlines.JOB_LEASE, trial.trialId);
    trials.put(trial.trialId, trial);
    log.job(job);
  }

  /**
   * Pushes the lease back to one lease from now. The deadlines entry stays where it is (most jobs end
   * before it comes due); {@link #leaseDue} moves it on when it does.
   */
  void renew(final TrialState trial, final StudyRuntime runtime) {
    trial.leaseDeadlineMs = clock.getAsLong() + runtime.spec().getLeaseMs();
    trials.put(trial.trialId, trial);
  }

  /**
   * The lease entry of a trial's job came due at {@code entryMs}: true if the lease has run out; false
   * if the job is over or superseded, or its lease was renewed (its entry then moves to the lease's end).
   */
  boolean leaseDue(final TrialState trial, final long entryMs, final long nowMs) {
    if (trial.status != TrialState.Status.RUNNING || trial.leaseEntryMs != entryMs) {
      return false;
    }
    if (trial.leaseDeadlineMs > nowMs) {
      trial.leaseEntryMs = trial.leaseDeadlineMs;
      deadlines.put(trial.leaseEntryMs, Deadlines.JOB_LEASE, trial.trialId);
      trials.put(trial.trialId, trial);
      return false;
    }
    return true;
  }

  /** The trial's current job is over: free its slot and drop its lease. */
  void release(final StudyState study, final StudyRuntime runtime, final TrialState trial) {
    deadlines.delete(trial.leaseEntryMs, Deadlines.JOB_LEASE, trial.trialId);
    study.jobEnded(runtime.closableRung(trial.trialId, trial.rung));
    trial.status = TrialState.Status.PAUSED;
  }

  void fail(final StudyState study, final StudyRuntime runtime, final TrialState trial, final String why) {
    release(study, runtime, trial);
    trial.status = TrialState.Status.FAILED;
    trials.put(trial.trialId, trial);
    study.trialsFailed++;
    runtime.method().trialFailed(trial.trialId, trial.rung);
    log.emit(study, AuditLog.trialEvent(study, EventType.TRIAL_FAILED, trial, runtime, trial.rung).setReason(why));
  }
}
