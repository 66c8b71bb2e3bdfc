package io.kasha.method;

import java.util.Map;

/**
 * A method over one ladder of rungs shared by every trial (ASHA, multi-objective ASHA): its closable
 * rungs are the rungs below the top, each fed by the one below it and rung 0 by new trials.
 */
interface OneBracketMethod extends TuningMethod, ClosableRungs {

  /** The rungs every trial of the study climbs. */
  RungSchedule rungs();

  /** One ladder for all: nothing to assign to a new trial. */
  @Override
  default void addTrial(final String trialId, final Map<String, Object> params) {}

  @Override
  default RungSchedule schedule(final String trialId) {
    return rungs();
  }

  @Override
  default int closableRungs() {
    return rungs().topRung();
  }

  @Override
  default int closableRung(final String trialId, final int rung) {
    return rung < rungs().topRung() ? rung : -1;
  }

  @Override
  default int feederOf(final int closable) {
    return closable - 1;
  }
}
