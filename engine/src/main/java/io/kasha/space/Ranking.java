package io.kasha.space;

import io.kasha.method.Direction;

import io.kasha.schemas.Mode;
import java.util.Comparator;

/** Orders results best first under a study's mode; NaN and infinite results rank last. */
final class Ranking {

  private Ranking() {}

  static Comparator<Observation> bestFirst(final Mode mode) {
    return Comparator.comparingDouble((Observation o) -> lowerIsBetter(o.metric(), mode))
        .thenComparingLong(Observation::index);
  }

  private static double lowerIsBetter(final double metric, final Mode mode) {
    return Direction.of(mode).lossOrWorst(metric);
  }
}
