package io.kasha.study;

/** The changing part of a study, kept in the studies store (the spec is kept apart, unchanged). */
public final class StudyState {

  enum Status { RUNNING, COMPLETED, STOPPED, TIME_BUDGET, TARGET_REACHED, REJECTED }

  String studyId;
  Status status;
  long acceptedAtMs;
  long trialsCreated;
  int inFlight;
  /** Jobs in flight toward each closable rung (see {@code TuningMethod.closableRungs}); null: no rung closes. */
  int[] runningAtRung;
  /** The closable rungs that are closed: nothing enters them, nothing more leaves them; null: none. */
  boolean[] closedRungs;
  long eventSeq;
  long trialsCompleted;
  long trialsFailed;
  long trialsStopped;
  String bestTrialId;
  double bestMetric = Double.NaN;
  int bestRung = -1;
  /** The index of the next trial the checkpoint {@link Sweep} looks at; -1 while none is under way. */
  long sweepFrom = -1;
  /** A continuation of work put off by a call's batch is due (see {@link Continuations}). */
  boolean continuing;

  StudyState() {}

  StudyState(final String studyId, final Status status, final long nowMs) {
    this.studyId = studyId;
    this.status = status;
    this.acceptedAtMs = nowMs;
  }

  boolean running() {
    return status == Status.RUNNING;
  }

  /**
   * The study's status by name, for monitoring: RUNNING, COMPLETED, STOPPED, TIME_BUDGET, TARGET_REACHED or
   * REJECTED (the names the study-completed event's status uses).
   */
  public String statusName() {
    return status.name();
  }

  /** A job starts toward the closable rung {@code closable}, or toward a rung that cannot close (-1). */
  void jobStarted(final int closable) {
    inFlight++;
    if (runningAtRung != null && closable >= 0) {
      runningAtRung[closable]++;
    }
  }

  /** A job toward the closable rung {@code closable} (or -1) is over. */
  void jobEnded(final int closable) {
    inFlight--;
    if (runningAtRung != null && closable >= 0) {
      runningAtRung[closable]--;
    }
  }

  long nextSeq() {
    return ++eventSeq;
  }
}
