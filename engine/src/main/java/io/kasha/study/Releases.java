package io.kasha.study;

import io.kasha.schemas.EventType;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoints-released events of one decision: names go out in events of at most {@link
 * StudyEngine#RELEASED_PER_EVENT}, each with the checkpoint kept (or null) and why.
 */
final class Releases {

  private final Table<TrialState> trials;
  private final AuditLog log;
  private final StudyState study;
  private final String keep;
  private final String why;
  private final List<String> names = new ArrayList<>();

  Releases(final Table<TrialState> trials, final AuditLog log, final StudyState study, final String keep,
      final String why) {
    this.trials = trials;
    this.log = log;
    this.study = study;
    this.keep = keep;
    this.why = why;
  }

  /** Releases a trial of a running study that will not train again: marked released, its checkpoint gone. */
  void addForGood(final TrialState trial) {
    trial.checkpointsReleased = true;
    trial.checkpointUri = null;
    trials.put(trial.trialId, trial);
    add(trial);
  }

  void add(final TrialState trial) {
    names.addAll(trial.checkpointNames());
    if (names.size() >= StudyEngine.RELEASED_PER_EVENT) {
      flush();
    }
  }

  void flush() {
    if (names.isEmpty()) {
      return;
    }
    log.emit(study, AuditLog.event(study, EventType.CHECKPOINTS_RELEASED)
        .setReleasedCheckpoints(List.copyOf(names))
        .setKeptCheckpoint(keep)
        .setReason(why));
    names.clear();
  }
}
