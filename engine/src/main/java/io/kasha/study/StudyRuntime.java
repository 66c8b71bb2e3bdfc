package io.kasha.study;

import io.kasha.method.Direction;
import io.kasha.method.RungSchedule;
import io.kasha.method.SchedulingRule;
import io.kasha.method.SchedulingRules;
import io.kasha.schemas.Mode;
import io.kasha.schemas.StudySpec;
import io.kasha.space.Searcher;
import io.kasha.store.OrderedStore;

/**
 * What the scheduler derives from a study's immutable spec: its scheduling rule over the shared rung
 * store, its searcher and how many trials it may create. Rebuilt on demand, never stored.
 */
record StudyRuntime(StudySpec spec, SchedulingRule rule, Searcher searcher, long trialLimit, StudyHistory history) {

  static StudyRuntime of(final String studyId, final StudySpec spec, final OrderedStore rungStore) {
    final Searcher searcher = Searcher.forSpec(spec);
    final long limit = Math.min(spec.getMaxTrials(), searcher.size().orElse(Long.MAX_VALUE));
    return new StudyRuntime(spec, SchedulingRules.forSpec(studyId, spec, rungStore), searcher, limit,
        new StudyHistory());
  }

  /**
   * The same study under a new spec whose budgets were extended: the rule and the searcher, which do
   * not depend on the budgets, are kept; the trial limit follows the new spec.
   */
  StudyRuntime withBudgets(final StudySpec extended) {
    final long limit = Math.min(extended.getMaxTrials(), searcher.size().orElse(Long.MAX_VALUE));
    return new StudyRuntime(extended, rule, searcher, limit, history);
  }

  /** The rungs of the trial's segments. */
  RungSchedule schedule(final String trialId) {
    return rule.schedule(trialId);
  }

  /** The resource at the end of the trial's segment to rung. */
  long resource(final String trialId, final int rung) {
    return rule.schedule(trialId).resource(rung);
  }

  boolean isTop(final String trialId, final int rung) {
    return rung == rule.schedule(trialId).topRung();
  }

  /** True if metric a ranks before b in the study's direction, as a rung ranks them. */
  boolean better(final double a, final double b) {
    return (spec.getMode() == Mode.MAX ? Direction.MAXIMIZE : Direction.MINIMIZE).better(a, b);
  }

  boolean reachesTarget(final double metric) {
    final Double target = spec.getTarget();
    if (target == null || Double.isNaN(metric)) {
      return false;
    }
    return spec.getMode() == Mode.MAX ? metric >= target : metric <= target;
  }
}
