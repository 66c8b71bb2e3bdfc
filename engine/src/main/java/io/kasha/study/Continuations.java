package io.kasha.study;

import java.util.function.LongSupplier;

/**
 * A study's work that one call's {@link Work} batch did not cover (slots still to fill, checkpoints
 * still to release) is continued at the next punctuation: a {@link Deadlines#CONTINUE} entry due now,
 * one per study at a time ({@link StudyState#continuing}).
 */
final class Continuations {

  private final Deadlines deadlines;
  private final LongSupplier clock;

  Continuations(final Deadlines deadlines, final LongSupplier clock) {
    this.deadlines = deadlines;
    this.clock = clock;
  }

  void schedule(final StudyState study) {
    if (!study.continuing) {
      study.continuing = true;
      deadlines.put(clock.getAsLong(), Deadlines.CONTINUE, study.studyId);
    }
  }
}
