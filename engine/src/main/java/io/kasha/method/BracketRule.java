package io.kasha.method;

import java.util.SplittableRandom;

/**
 * How {@link AsyncHyperband} assigns a new trial to a bracket. The study-file knob is
 * {@code bracket_rule}, default {@code round_robin}.
 */
public enum BracketRule {

  /** The n-th trial (from 0) goes to bracket {@code n mod brackets}: Li et al.'s loop over the brackets. */
  ROUND_ROBIN,

  /**
   * Ray Tune's {@code AsyncHyperBandScheduler}: bracket b is drawn with probability proportional to
   * {@code e^(rungs(b))}, so brackets with more rungs get more trials. The draw for the n-th trial
   * depends only on the seed and n, so it is the same after a restart.
   */
  WEIGHTED;

  int bracket(final long ordinal, final int[] rungCounts, final long seed) {
    if (this == ROUND_ROBIN) {
      return (int) (ordinal % rungCounts.length);
    }
    int most = 0;
    for (final int count : rungCounts) {
      most = Math.max(most, count);
    }
    final double[] weights = new double[rungCounts.length];
    double total = 0;
    for (int b = 0; b < rungCounts.length; b++) {
      weights[b] = Math.exp(rungCounts[b] - most);
      total += weights[b];
    }
    double draw = new SplittableRandom(seed ^ (ordinal * 0x9E3779B97F4A7C15L)).nextDouble() * total;
    for (int b = 0; b < weights.length; b++) {
      draw -= weights[b];
      if (draw < 0) {
        return b;
      }
    }
    return weights.length - 1;
  }
}
