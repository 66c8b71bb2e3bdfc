package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * The multi-fidelity Hartmann functions of mfhpo-benchmark-api ({@code benchmark_apis/synthetic/hartmann.py}),
 * in 3 and 6 dimensions:
 *
 * <pre>
 * loss(x, z) = - sum_i (alpha_i - 0.1 (1 - z)) exp(- sum_j A_ij (x_j - P_ij)^2) + eps,   eps ~ N(0, sigma^2)
 * </pre>
 *
 * <p>with {@code alpha = (1.0, 1.2, 3.0, 3.2)}, {@code sigma^2 = 0.01} ({@code hartmann3}) or
 * {@code 0.05} ({@code hartmann6}), and {@code eps = 0} in the {@link #deterministic()} variant. Lower
 * fidelity lowers every weight {@code alpha_i} by the same bias, flattening the function. The
 * parameters are {@code x1 .. xd}, FLOAT in [0, 1].
 *
 * <p>Training from scratch to fidelity {@code z} costs {@code 3600 (0.1 + 0.9 m(z))} seconds, with
 * {@code m = (z + z^2 + z^3) / 3} ({@code hartmann3}) or {@code (2z + z^2 + z^3) / 4} ({@code hartmann6}).
 *
 * <p>Default resources 1 to 81: a power of 3, so that ASHA with eta 3 gets five rungs (1, 3, 9, 27, 81) and
 * the lowest rung still sees a fidelity of 1/81, where the bias has almost its full effect.
 */
public final class Hartmann implements BenchmarkFunction {

  private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double BIAS = 0.1;
  private static final double SECONDS = 3600;

  private static final double[][] A3 = {{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}};
  private static final double[][] P3 = scaled(1e-4,
      new double[][] {{3689, 1170, 2673}, {4699, 4387, 7470}, {1091, 8732, 5547}, {381, 5743, 8828}});

  private static final double[][] A6 = {
    {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}
  };
  private static final double[][] P6 = scaled(1e-4, new double[][] {
    {1312, 1696, 5569, 124, 8283, 5886},
    {2329, 4135, 8307, 3736, 1004, 9991},
    {2348, 1451, 3522, 2883, 3047, 6650},
    {4047, 8828, 8732, 5743, 1091, 381}
  });

  private final String name;
  private final Domain domain;
  private final double[][] a;
  private final double[][] p;
  private final double noiseVariance;
  private final DoubleUnaryOperator costShape;
  private final double optimum;

  private Hartmann(
      final String name,
      final double[][] a,
      final double[][] p,
      final double noiseVariance,
      final DoubleUnaryOperator costShape,
      final double optimum) {
    this.name = name;
    this.domain = new Domain(Domain.uniforms("x", a[0].length, 0, 1));
    this.a = a;
    this.p = p;
    this.noiseVariance = noiseVariance;
    this.costShape = costShape;
    this.optimum = optimum;
  }

  /** Optimum -3.86278 at (0.114614, 0.555649, 0.852547). */
  public static Hartmann hartmann3() {
    return new Hartmann("hartmann3", A3, P3, 0.01, z -> (z + z * z + z * z * z) / 3, -3.86278);
  }

  /** Optimum -3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573). */
  public static Hartmann hartmann6() {
    return new Hartmann("hartmann6", A6, P6, 0.05, z -> (2 * z + z * z + z * z * z) / 4, -3.32237);
  }

  /** The same function without noise ({@code eps = 0}), under the same name. */
  public Hartmann deterministic() {
    return new Hartmann(name, a, p, 0, costShape, optimum);
  }

  /** {@code sigma^2}: 0.01 for hartmann3, 0.05 for hartmann6, 0 when deterministic. */
  public double noiseVariance() {
    return noiseVariance;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<ParamSpec> params() {
    return domain.params();
  }

  @Override
  public long defaultMaxResource() {
    return 81;
  }

  @Override
  public double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    final double loss = lossNoiseFree(x, r, maxResource);
    return noiseVariance == 0 ? loss : loss + Math.sqrt(noiseVariance) * rng.nextGaussian();
  }

  @Override
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    final double z = Domain.fidelity(r, maxResource);
    final double[] point = domain.read(x);
    double sum = 0;
    for (int i = 0; i < ALPHA.length; i++) {
      double exponent = 0;
      for (int j = 0; j < point.length; j++) {
        final double d = point[j] - p[i][j];
        exponent += a[i][j] * d * d;
      }
      sum += (ALPHA[i] - BIAS * (1 - z)) * Math.exp(-exponent);
    }
    return -sum;
  }

  @Override
  public double optimum() {
    return optimum;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    return SECONDS * (0.1 + 0.9 * costShape.applyAsDouble(Domain.fidelity(r, maxResource)));
  }

  @Override
  public String toString() {
    return noiseVariance == 0 ? name + " (deterministic)" : name;
  }

  private static double[][] scaled(final double factor, final double[][] matrix) {
    final double[][] result = new double[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      result[i] = matrix[i].clone();
      for (int j = 0; j < result[i].length; j++) {
        result[i][j] *= factor;
      }
    }
    return result;
  }
}
