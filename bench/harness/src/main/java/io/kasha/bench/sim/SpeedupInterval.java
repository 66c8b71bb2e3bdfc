package io.kasha.bench.sim;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * A 95% percentile bootstrap interval of a speedup, the ratio of two mean times to target: the seeds
 * of each side are resampled with replacement and the ratio of the resampled means taken, 2,000
 * times, from a fixed random seed so that a report reads the same when rewritten from its JSON. With
 * ten seeds whose times spread widely, the interval is wide: it says how far one run's speedup can
 * be trusted. (Commons Math gives the percentiles; it has no bootstrap of its own.)
 */
final class SpeedupInterval {

  private static final int RESAMPLES = 2_000;

  private SpeedupInterval() {}

  /** {low, high} for mean(base) / mean(times); both NaN if either side has no time. */
  static double[] of(final List<Double> base, final List<Double> times) {
    if (base.isEmpty() || times.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN};
    }
    final SplittableRandom random = new SplittableRandom(1);
    final double[] ratios = new double[RESAMPLES];
    for (int i = 0; i < RESAMPLES; i++) {
      ratios[i] = resampledMean(base, random) / resampledMean(times, random);
    }
    final Percentile percentile = new Percentile();
    percentile.setData(ratios);
    return new double[] {percentile.evaluate(2.5), percentile.evaluate(97.5)};
  }

  private static double resampledMean(final List<Double> values, final SplittableRandom random) {
    double sum = 0;
    for (int i = 0; i < values.size(); i++) {
      sum += values.get(random.nextInt(values.size()));
    }
    return sum / values.size();
  }
}
