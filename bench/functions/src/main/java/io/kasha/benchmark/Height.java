package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import java.util.List;
import java.util.Map;

/**
 * The learning-curve toy of the Syne Tune and Ray Tune examples: at epoch {@code r} (after
 * {@code step = r - 1} steps)
 *
 * <pre>
 * loss = 100 / (10 + width * step) + 0.1 * height
 * </pre>
 *
 * <p>with {@code width} an integer in [0, 20] and {@code height} an integer in [-100, 100] (INT
 * parameters). The curve falls with the epochs, faster for a larger width; the height shifts it. The
 * loss does not depend on the maximum resource, only on the epoch: the {@link #optimum()} -9.949749
 * (width 20, height -100) is reached at epoch 100, the default maximum resource. Noise-free; every
 * epoch costs one second.
 */
public final class Height implements BenchmarkFunction {

  public static final String NAME = "height";

  private final Domain domain =
      new Domain(List.of(Domain.integers("width", 0, 20), Domain.integers("height", -100, 100)));

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
    return 100;
  }

  @Override
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    final long step = Domain.checkResource(r, maxResource) - 1;
    final double[] point = domain.read(x);
    final double width = point[0];
    final double height = point[1];
    return 100 / (10 + width * step) + 0.1 * height;
  }

  /** The best loss at epoch 100, the default maximum resource. */
  @Override
  public double optimum() {
    return -9.949749;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    return Domain.checkResource(r, maxResource);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
