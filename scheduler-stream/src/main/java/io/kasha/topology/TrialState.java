package io.kasha.topology;

import java.util.Map;

/** One trial's progress, kept in the trials store under its trial id. */
final class TrialState {

  enum Status { RUNNING, PAUSED, COMPLETED, FAILED, STOPPED }

  String trialId;
  String studyId;
  Map<String, Object> params;
  Status status;
  /** Rung of the current job while RUNNING; the highest rung with a result otherwise (-1 none). */
  int rung;
  String jobId;
  int attempt;
  /** When the running job's lease runs out: one lease after its last report (or its issue). */
  long leaseDeadlineMs;
  /**
   * Time of the job's entry in the deadlines store, which renewals leave in place: the punctuator
   * moves it on to {@link #leaseDeadlineMs} when it comes due. 0 in states written before it existed,
   * whose entry is at {@code leaseDeadlineMs}.
   */
  long leaseEntryMs;
  String checkpointUri;
  /** True once the trial's checkpoints were released; a later segment's result sets it back to false. */
  boolean checkpointsReleased;
  /** How many times the trial exploited another (population based training); part of its job ids after the first. */
  int generation;

  TrialState() {}

  long leaseEntry() {
    return leaseEntryMs == 0 ? leaseDeadlineMs : leaseEntryMs;
  }

  TrialState(final String trialId, final String studyId, final Map<String, Object> params) {
    this.trialId = trialId;
    this.studyId = studyId;
    this.params = params;
    this.status = Status.PAUSED;
    this.rung = -1;
  }
}
