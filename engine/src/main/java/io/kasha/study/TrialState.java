package io.kasha.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One trial's progress, kept in the trials store under its trial id. */
public final class TrialState {

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
   * Time of the job's entry in the deadlines store, which renewals leave in place: the engine moves it
   * on to {@link #leaseDeadlineMs} when it comes due.
   */
  long leaseEntryMs;
  String checkpointUri;
  /** True once the trial's checkpoints were released; a later segment's result sets it back to false. */
  boolean checkpointsReleased;
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

  /** The id of a study's trial: the study's id, "-t" and the trial's 1-based number. */
  static String id(final String studyId, final long index) {
    return studyId + "-t" + (index + 1);
  }

  /** The 0-based index of the trial in its study, the order in which it was created. */
  long index() {
    return Long.parseLong(trialId.substring(trialId.lastIndexOf("-t") + 2)) - 1;
  }

  /** The names the trial's checkpoints are stored under: its id, then one per exploit generation. */
  List<String> checkpointNames() {
    final List<String> names = new ArrayList<>(generation + 1);
    names.add(trialId);
    for (int g = 1; g <= generation; g++) {
      names.add(trialId + "-g" + g);
    }
    return names;
  }
}
