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
  long leaseDeadlineMs;
  String checkpointUri;
  /** How many times the trial exploited another (population based training); part of its job ids after the first. */
  int generation;

  TrialState() {}

  TrialState(final String trialId, final String studyId, final Map<String, Object> params) {
    this.trialId = trialId;
    this.studyId = studyId;
    this.params = params;
    this.status = Status.PAUSED;
    this.rung = -1;
  }
}
