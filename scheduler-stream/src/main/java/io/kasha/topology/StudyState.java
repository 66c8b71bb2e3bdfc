package io.kasha.topology;

/** The changing part of a study, kept in the studies store (the spec is kept apart, unchanged). */
final class StudyState {

  enum Status { RUNNING, COMPLETED, STOPPED, TIME_BUDGET, TARGET_REACHED, REJECTED }

  String studyId;
  Status status;
  long acceptedAtMs;
  long trialsCreated;
  int inFlight;
  /**
   * Jobs in flight toward each rung, for a rule whose rungs close; null for other rules and in states
   * written before it existed, whose rungs are then never closed early.
   */
  int[] runningAtRung;
  /** Rungs 0 .. closedRungs - 1 are closed: nothing enters them, nothing more leaves them. */
  int closedRungs;
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

  void jobStarted(final int rung) {
    inFlight++;
    if (runningAtRung != null && rung < runningAtRung.length) {
      runningAtRung[rung]++;
    }
  }

  void jobEnded(final int rung) {
    inFlight--;
    if (runningAtRung != null && rung < runningAtRung.length) {
      runningAtRung[rung]--;
    }
  }

  long nextSeq() {
    return ++eventSeq;
  }
}
