package io.kasha.topology;

import io.kasha.policy.AshaPolicy;
import io.kasha.policy.Direction;
import io.kasha.policy.OrderedStore;
import io.kasha.policy.RungSchedule;
import io.kasha.schemas.Mode;
import io.kasha.schemas.StudySpec;
import io.kasha.space.Searcher;

/**
 * What the scheduler derives from a study's immutable spec: its rungs, its policy over the shared
 * rung store, its searcher and how many trials it may create. Rebuilt on demand, never stored.
 */
record StudyRuntime(StudySpec spec, RungSchedule schedule, AshaPolicy policy, Searcher searcher, long trialLimit) {

  static StudyRuntime of(final String studyId, final StudySpec spec, final OrderedStore rungStore) {
    final RungSchedule schedule = RungSchedule.of(
        spec.getMinResource(), spec.getMaxResource(), spec.getEta(), spec.getEarlyStoppingRate());
    final Direction direction = spec.getMode() == Mode.MAX ? Direction.MAXIMIZE : Direction.MINIMIZE;
    final Searcher searcher = Searcher.forSpec(spec);
    final long limit = Math.min(spec.getMaxTrials(), searcher.size().orElse(Long.MAX_VALUE));
    return new StudyRuntime(spec, schedule, new AshaPolicy(rungStore, studyId, schedule, spec.getEta(), direction),
        searcher, limit);
  }

  int topRung() {
    return schedule.topRung();
  }

  boolean reachesTarget(final double metric) {
    final Double target = spec.getTarget();
    if (target == null || Double.isNaN(metric)) {
      return false;
    }
    return spec.getMode() == Mode.MAX ? metric >= target : metric <= target;
  }
}
