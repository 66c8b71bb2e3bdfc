package io.kasha.topology;

/** The changing part of a study, kept in the studies store (the spec is kept apart, unchanged). */
final class StudyState {

  enum Status { RUNNING, COMPLETED, STOPPED, TIME_BUDGET, TARGET_REACHED, REJECTED }

  String studyId;
  Status status;
  long acceptedAtMs;
  long trialsCreated;
  int inFlight;
  long eventSeq;
  long trialsCompleted;
  long trialsFailed;
  long trialsStopped;
  String bestTrialId;
  double bestMetric = Double.NaN;
  int bestRung = -1;

  StudyState() {}

  StudyState(final String studyId, final Status status, final long nowMs) {
    this.studyId = studyId;
    this.status = status;
    this.acceptedAtMs = nowMs;
  }

  boolean running() {
    return status == Status.RUNNING;
  }

  long nextSeq() {
    return ++eventSeq;
  }
}
