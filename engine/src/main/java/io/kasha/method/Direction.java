package io.kasha.method;

import io.kasha.schemas.Mode;
import io.kasha.store.RungKeys;
import java.util.Arrays;

/**
 * Which way the objective metric improves: the one place a metric's direction is folded. Everything
 * that ranks results works on its {@link #loss}, where smaller is better.
 */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** The direction of a study's (or an objective's) mode. */
  public static Direction of(final Mode mode) {
    return mode == Mode.MAX ? MAXIMIZE : MINIMIZE;
  }

  /** The metric turned so that smaller is always better, -0.0 as 0.0; NaN stays NaN, infinities change sign. */
  public double loss(final double metric) {
    return (this == MAXIMIZE ? -metric : metric) + 0.0;
  }

  /** The {@link #loss}, with NaN and infinite values at +infinity, the worst. */
  public double lossOrWorst(final double metric) {
    return Double.isFinite(metric) ? loss(metric) : Double.POSITIVE_INFINITY;
  }

  /** True if the metric is at the target or beyond it in this direction; never for NaN. */
  public boolean reaches(final double metric, final double target) {
    return !Double.isNaN(metric) && loss(metric) <= loss(target);
  }

  /** True if a ranks strictly before b in this direction, as a rung ranks them: NaN and infinities last. */
  public boolean better(final double a, final double b) {
    return Arrays.compareUnsigned(RungKeys.score(loss(a)), RungKeys.score(loss(b))) < 0;
  }
}
