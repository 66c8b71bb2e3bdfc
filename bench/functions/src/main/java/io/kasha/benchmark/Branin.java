package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import java.util.List;
import java.util.Map;

/**
 * The multi-fidelity Branin function in Dragonfly's form, noise-free:
 *
 * <pre>
 * B(x, z) = (x2 - b(z) x1^2 + c(z) x1 - 6)^2 + 10 (1 - t(z)) cos(x1) + 10
 * b(z) = 5.1 / (4 pi^2) - 0.01 (1 - z),  c(z) = 5 / pi - 0.1 (1 - z),  t(z) = 1 / (8 pi) + 0.005 (1 - z)
 * </pre>
 *
 * <p>At {@code z = 1} this is the classic Branin function, with the optimum 0.397887 at its three minima
 * (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475). Parameters {@code x1} in [-5, 10] and {@code x2} in
 * [0, 15], FLOAT. Training from scratch to fidelity {@code z} costs {@code 3600 (0.05 + 0.95 z^1.5)}
 * seconds.
 *
 * <p>Default resources 1 to 81, as for {@link Hartmann}: five rungs under ASHA with eta 3.
 */
public final class Branin implements BenchmarkFunction {

  public static final String NAME = "branin";

  private static final double SECONDS = 3600;

  private final Domain domain =
      new Domain(List.of(Domain.uniform("x1", -5, 10), Domain.uniform("x2", 0, 15)));

  @Override
  public String name() {
    return NAME;
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
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    final double z = Domain.fidelity(r, maxResource);
    final double[] point = domain.read(x);
    final double x1 = point[0];
    final double x2 = point[1];
    final double b = 5.1 / (4 * Math.PI * Math.PI) - 0.01 * (1 - z);
    final double c = 5 / Math.PI - 0.1 * (1 - z);
    final double t = 1 / (8 * Math.PI) + 0.005 * (1 - z);
    final double square = x2 - b * x1 * x1 + c * x1 - 6;
    return square * square + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  @Override
  public double optimum() {
    return 0.397887;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    return SECONDS * (0.05 + 0.95 * Math.pow(Domain.fidelity(r, maxResource), 1.5));
  }

  @Override
  public String toString() {
    return NAME;
  }
}
