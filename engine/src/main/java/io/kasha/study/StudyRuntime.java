package io.kasha.study;

import io.kasha.method.ClosableRungs;
import io.kasha.method.Direction;
import io.kasha.method.ParetoFront;
import io.kasha.method.RungSchedule;
import io.kasha.method.TuningMethod;
import io.kasha.method.TuningMethods;
import io.kasha.schemas.StudySpec;
import io.kasha.space.Searcher;
import io.kasha.store.OrderedStore;
import java.util.List;

/**
 * What the engine derives from a study's spec: its tuning method over the shared rung store, its
 * searcher and how many trials it may create. Rebuilt on demand, never stored.
 */
record StudyRuntime(StudySpec spec, TuningMethod method, Searcher searcher, long trialLimit, StudyHistory history) {

  static StudyRuntime of(final String studyId, final StudySpec spec, final OrderedStore rungStore) {
    final Searcher searcher = Searcher.forSpec(spec);
    final long limit = searcher.trialLimit(spec.getMaxTrials());
    return new StudyRuntime(spec, TuningMethods.forSpec(studyId, spec, limit, rungStore), searcher, limit,
        new StudyHistory());
  }

  /**
   * The same study under a new spec whose budgets were extended: the method and the searcher, which do
   * not depend on the budgets, are kept; the trial limit follows the new spec.
   */
  StudyRuntime withBudgets(final StudySpec extended) {
    final long limit = searcher.trialLimit(extended.getMaxTrials());
    return new StudyRuntime(extended, method, searcher, limit, history);
  }

  /** The method's closable rungs, or null if its rungs never close. */
  ClosableRungs closable() {
    return method instanceof ClosableRungs closable ? closable : null;
  }

  /** The number of the trial's rung among the closable rungs, or -1 if it cannot close. */
  int closableRung(final String trialId, final int rung) {
    return method instanceof ClosableRungs closable ? closable.closableRung(trialId, rung) : -1;
  }

  /** The study's Pareto front, for a multi-objective method; empty otherwise. */
  List<ParetoFront.FrontMember> paretoFront() {
    return method instanceof ParetoFront front ? front.paretoFront() : List.of();
  }

  /** The rungs of the trial's segments. */
  RungSchedule schedule(final String trialId) {
    return method.schedule(trialId);
  }

  /** The resource at the end of the trial's segment to rung. */
  long resource(final String trialId, final int rung) {
    return method.schedule(trialId).resource(rung);
  }

  boolean isTop(final String trialId, final int rung) {
    return rung == method.schedule(trialId).topRung();
  }

  /** True if metric a ranks before b in the study's direction, as a rung ranks them. */
  boolean better(final double a, final double b) {
    return Direction.of(spec.getMode()).better(a, b);
  }

  boolean reachesTarget(final double metric) {
    final Double target = spec.getTarget();
    if (target == null || Double.isNaN(metric)) {
      return false;
    }
    return Direction.of(spec.getMode()).reaches(metric, target);
  }
}
