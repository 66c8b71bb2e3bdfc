package io.kasha.method;

import io.kasha.store.RungKeys;
import java.util.Arrays;

/** Which way the objective metric improves. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** True if a ranks strictly before b in this direction, as a rung ranks them: NaN and infinities last. */
  public boolean better(final double a, final double b) {
    return Arrays.compareUnsigned(RungKeys.score(a, this), RungKeys.score(b, this)) < 0;
  }
}
