package io.kasha.sim;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A multi-fidelity function whose learning curves cross, so that early results mislead a little:
 * {@code x, y in [0, 1]}, {@code loss = (x - 0.3)^2 + (y - 0.7)^2 + 0.3 * (1 - z) * (1 - x) + N(0, 0.02^2)}
 * with {@code z = r / R}: a small x looks worse early than it ends. Optimum 0 at (0.3, 0.7), z = 1.
 * Cost from scratch {@code 3600 * (0.1 + 0.9 * z^1.5)} seconds: a fixed start-up cost, then training
 * that slows down as it goes.
 */
final class CrossingCurves implements BenchmarkFunction {

  @Override
  public String name() {
    return "crossing-curves";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(unit("x"), unit("y"));
  }

  @Override
  public long defaultMinResource() {
    return 1;
  }

  @Override
  public long defaultMaxResource() {
    return 256;
  }

  @Override
  public double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    return lossNoiseFree(x, r, maxResource) + 0.02 * rng.nextGaussian();
  }

  @Override
  public double lossNoiseFree(final Map<String, Object> params, final long r, final long maxResource) {
    final double x = (Double) params.get("x");
    final double y = (Double) params.get("y");
    final double z = (double) r / maxResource;
    return (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7) + 0.3 * (1 - z) * (1 - x);
  }

  @Override
  public double optimum() {
    return 0;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    final double z = (double) r / maxResource;
    return 3600 * (0.1 + 0.9 * Math.pow(z, 1.5));
  }

  private static ParamSpec unit(final String name) {
    return ParamSpec.newBuilder().setName(name).setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0).build();
  }
}
