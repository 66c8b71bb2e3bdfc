package io.kasha.sim;

import java.util.Comparator;

/** How the simulator ranks losses, as the policy does: lower first, then infinite ones, then NaN. */
final class Losses {

  static final Comparator<Double> BEST_FIRST =
      Comparator.comparingInt(Losses::tier).thenComparing(Comparator.naturalOrder());

  private Losses() {}

  private static int tier(final double loss) {
    return Double.isNaN(loss) ? 2 : Double.isInfinite(loss) ? 1 : 0;
  }
}
