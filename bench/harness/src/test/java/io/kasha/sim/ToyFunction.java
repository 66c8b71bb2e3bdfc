package io.kasha.sim;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A small benchmark function for the tests: one parameter {@code x} uniform in [0, 1], a loss given
 * by the test, optimum 0, and a cost of {@code secondsPerResource} per unit of resource.
 */
final class ToyFunction implements BenchmarkFunction {

  /** The loss of a configuration at resource r, noise-free. */
  interface Loss {
    double at(Map<String, Object> params, long r);
  }

  private final String name;
  private final Loss loss;
  private final double secondsPerResource;
  private final long maxResource;

  ToyFunction(final String name, final Loss loss, final double secondsPerResource,
      final long maxResource) {
    this.name = name;
    this.loss = loss;
    this.secondsPerResource = secondsPerResource;
    this.maxResource = maxResource;
  }

  /** Loss {@code x}, one second per unit of resource, R = 81. */
  static ToyFunction unitCost() {
    return new ToyFunction("unit-cost", (params, r) -> x(params), 1, 81);
  }

  /**
   * A loss that reorders configurations from rung to rung and has many ties, some infinite and some
   * NaN results: with {@code u = frac(37 x + 0.618 r)}, NaN below 0.04, infinite below 0.06, else
   * {@code floor(6 u) / 6}.
   */
  static ToyFunction rough() {
    return new ToyFunction("rough", (params, r) -> {
      final double u = (x(params) * 37 + r * 0.618) % 1;
      return u < 0.04 ? Double.NaN : u < 0.06 ? Double.POSITIVE_INFINITY : Math.floor(u * 6) / 6;
    }, 1, 81);
  }

  /** The k-th configuration this instance evaluates scores k at every resource: later trials are worse. */
  static ToyFunction laterIsWorse() {
    final Map<Map<String, Object>, Integer> order = new HashMap<>();
    return new ToyFunction("later-is-worse", (params, r) -> order.computeIfAbsent(params, p -> order.size()), 1, 81);
  }

  static double x(final Map<String, Object> params) {
    return (Double) params.get("x");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0).build());
  }

  @Override
  public long defaultMinResource() {
    return 1;
  }

  @Override
  public long defaultMaxResource() {
    return maxResource;
  }

  @Override
  public double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    return loss.at(x, r);
  }

  @Override
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    return loss.at(x, r);
  }

  @Override
  public double optimum() {
    return 0;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    return secondsPerResource * r;
  }
}
