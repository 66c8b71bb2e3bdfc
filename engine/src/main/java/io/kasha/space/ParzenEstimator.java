package io.kasha.space;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * A Parzen estimator on the unit interval, as in TPE (Bergstra et al. 2011, Hyperopt's adaptive
 * Parzen): an equally weighted mixture of Gaussians truncated to [0, 1], one at each observation and
 * one prior component N(0.5, 1). Each observation's width is the larger gap to its neighbours in the
 * sorted list of centres (prior included; the interval's ends are the outermost centres'
 * neighbours), clipped to [1 / min(100, n + 1), 1], as Optuna does.
 */
final class ParzenEstimator {

  private static final double PRIOR_MU = 0.5;
  private static final double PRIOR_SIGMA = 1.0;

  private final double[] mus;
  private final double[] sigmas;
  private final double[] lowCdf;
  private final double[] mass;

  ParzenEstimator(final double[] observations) {
    final int n = observations.length;
    final double[] sorted = Arrays.copyOf(observations, n + 1);
    sorted[n] = PRIOR_MU;
    Arrays.sort(sorted);
    final int prior = Arrays.binarySearch(sorted, PRIOR_MU);
    final double minSigma = PRIOR_SIGMA / Math.min(100.0, n + 1.0);
    this.mus = sorted;
    this.sigmas = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      final double left = i > 0 ? sorted[i] - sorted[i - 1] : sorted[i];
      final double right = i < n ? sorted[i + 1] - sorted[i] : 1.0 - sorted[i];
      sigmas[i] = Math.max(minSigma, Math.min(PRIOR_SIGMA, Math.max(left, right)));
    }
    sigmas[prior] = PRIOR_SIGMA;
    this.lowCdf = new double[n + 1];
    this.mass = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      lowCdf[i] = phi((0.0 - mus[i]) / sigmas[i]);
      mass[i] = Math.max(phi((1.0 - mus[i]) / sigmas[i]) - lowCdf[i], 1e-300);
    }
  }

  /** A draw: a component chosen uniformly, then its truncated Gaussian by inverting the CDF. */
  double sample(final SplittableRandom random) {
    final int i = random.nextInt(mus.length);
    final double p = lowCdf[i] + random.nextDouble() * mass[i];
    final double x = mus[i] + sigmas[i] * Math.sqrt(2) * Erf.erfInv(Math.max(-1 + 1e-16, Math.min(1 - 1e-16, 2 * p - 1)));
    return Math.max(0.0, Math.min(Math.nextDown(1.0), x));
  }

  double logDensity(final double x) {
    double sum = 0;
    for (int i = 0; i < mus.length; i++) {
      final double z = (x - mus[i]) / sigmas[i];
      sum += Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigmas[i] * mass[i]);
    }
    return Math.log(sum / mus.length);
  }

  private static double phi(final double z) {
    return 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
  }
}
