package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The counting-ones function of the BOHB paper (HPOlib1.5 {@code counting_ones.py}): {@code n_cat}
 * binary parameters {@code c1, c2, ..} and {@code n_cont} continuous ones {@code x1, x2, ..} in [0, 1]
 * (4 and 4 by default). The resource {@code b} is a number of Bernoulli draws:
 *
 * <pre>
 * loss(x, b) = - (sum_i c_i + sum_j (1/b) sum_{k=1..b} B_jk),   B_jk ~ Bernoulli(x_j)
 * </pre>
 *
 * <p>so each continuous parameter counts with its estimate from {@code b} draws: more draws, less
 * noise. The expectation {@code -(sum_i c_i + sum_j x_j)} is the {@link #lossNoiseFree noise-free
 * loss}; its optimum {@code -(n_cat + n_cont)} is at all ones, where the loss is exact at every
 * {@code b}.
 *
 * <p>The binary parameters are INT in [0, 1], which both samplers handle: the random sampler draws 0
 * or 1 with equal chance and the grid sampler takes both values. The default resources are 9 to 729
 * draws, as in the BOHB paper's experiment ({@code 729 = 9 * 3^4}, five rungs under eta 3); an
 * evaluation with {@code b} draws costs {@code b} seconds.
 */
public final class CountingOnes implements BenchmarkFunction {

  public static final String NAME = "counting-ones";

  private final int categorical;
  private final int continuous;
  private final Domain domain;

  /** Four binary and four continuous parameters, as in the BOHB paper's figures. */
  public CountingOnes() {
    this(4, 4);
  }

  public CountingOnes(final int categorical, final int continuous) {
    if (categorical < 0 || continuous < 0 || categorical + continuous == 0) {
      throw new IllegalArgumentException(
          "need at least one parameter, got " + categorical + " binary and " + continuous + " continuous");
    }
    this.categorical = categorical;
    this.continuous = continuous;
    final List<ParamSpec> params = new ArrayList<>();
    for (int i = 1; i <= categorical; i++) {
      params.add(Domain.integers("c" + i, 0, 1));
    }
    params.addAll(Domain.uniforms("x", continuous, 0, 1));
    this.domain = new Domain(params);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ParamSpec> params() {
    return domain.params();
  }

  @Override
  public long defaultMinResource() {
    return 9;
  }

  @Override
  public long defaultMaxResource() {
    return 729;
  }

  /** Draws {@code r} Bernoulli samples for each continuous parameter from {@code rng}. */
  @Override
  public double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    final long draws = Domain.checkResource(r, maxResource);
    final double[] point = domain.read(x);
    double sum = 0;
    for (int i = 0; i < categorical; i++) {
      sum += point[i];
    }
    for (int j = categorical; j < point.length; j++) {
      long ones = 0;
      for (long k = 0; k < draws; k++) {
        if (rng.nextDouble() < point[j]) {
          ones++;
        }
      }
      sum += (double) ones / draws;
    }
    return -sum;
  }

  /**
   * Adds one Bernoulli draw for each continuous parameter to {@code ones}, the counts of ones drawn so
   * far (one count per continuous parameter, in order), so that a run can go on drawing from where it
   * stopped: after {@code b} calls from all zeros, {@link #loss(Map, long[], long) loss(x, ones, b)} has
   * the distribution of {@link #loss(Map, long, long, SplittableRandom) loss(x, b, ..)}.
   *
   * @return the new counts; {@code ones} is not changed
   */
  public long[] drawOnce(final Map<String, Object> x, final long[] ones, final SplittableRandom rng) {
    final double[] point = domain.read(x);
    requireCounts(ones);
    final long[] next = ones.clone();
    for (int j = 0; j < continuous; j++) {
      if (rng.nextDouble() < point[categorical + j]) {
        next[j]++;
      }
    }
    return next;
  }

  /** The loss given the counts of ones in {@code draws} draws of each continuous parameter. */
  public double loss(final Map<String, Object> x, final long[] ones, final long draws) {
    final double[] point = domain.read(x);
    requireCounts(ones);
    if (draws < 1) {
      throw new IllegalArgumentException("need at least one draw, got " + draws);
    }
    double sum = 0;
    for (int i = 0; i < categorical; i++) {
      sum += point[i];
    }
    for (int j = 0; j < continuous; j++) {
      if (ones[j] < 0 || ones[j] > draws) {
        throw new IllegalArgumentException("count of ones " + ones[j] + " is not in 0.." + draws);
      }
      sum += (double) ones[j] / draws;
    }
    return -sum;
  }

  /** The number of continuous parameters, so the length of the counts of {@link #drawOnce}. */
  public int continuous() {
    return continuous;
  }

  /** The expectation over the draws, {@code -(sum_i c_i + sum_j x_j)}, whatever {@code r}. */
  @Override
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    Domain.checkResource(r, maxResource);
    double sum = 0;
    for (final double value : domain.read(x)) {
      sum += value;
    }
    return -sum;
  }

  @Override
  public double optimum() {
    return -(categorical + continuous);
  }

  @Override
  public double cost(final long r, final long maxResource) {
    return Domain.checkResource(r, maxResource);
  }

  private void requireCounts(final long[] ones) {
    if (ones.length != continuous) {
      throw new IllegalArgumentException(
          "need one count per continuous parameter (" + continuous + "), got " + ones.length);
    }
  }

  @Override
  public String toString() {
    return NAME + " (" + categorical + " binary, " + continuous + " continuous)";
  }
}
