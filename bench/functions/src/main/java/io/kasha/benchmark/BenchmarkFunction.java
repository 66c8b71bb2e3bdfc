package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A multi-fidelity benchmark objective, defined exactly as in the published sources (see
 * BENCHMARKS.md at the project's design level): minimised, with a known optimum and a cost model,
 * so that tuners can be compared on the same functions and simulated in virtual time.
 *
 * <p>Resources are 1-based amounts of work; {@code z = r / maxResource} is the fidelity in (0, 1].
 */
public interface BenchmarkFunction {

  /** For example {@code hartmann6}. */
  String name();

  /** The search space, in the order the parameters are defined. */
  List<ParamSpec> params();

  /** The smallest resource a tuner should give a trial; 1 unless the function needs more (Counting Ones). */
  default long defaultMinResource() {
    return 1;
  }

  long defaultMaxResource();

  /**
   * The loss at resource {@code r} of {@code maxResource}, with this function's noise drawn from {@code rng};
   * by default the function is noise-free and {@code rng} is not used.
   */
  default double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    return lossNoiseFree(x, r, maxResource);
  }

  /** The loss without noise (its expectation, for stochastic functions). */
  double lossNoiseFree(Map<String, Object> x, long r, long maxResource);

  /** The best noise-free loss at full fidelity. */
  double optimum();

  /** Seconds to train from scratch to resource {@code r}. A resumed job from r1 to r2 costs cost(r2) - cost(r1). */
  double cost(long r, long maxResource);

  /** Noise-free loss at full fidelity minus the optimum. */
  default double regret(final Map<String, Object> x, final long maxResource) {
    return lossNoiseFree(x, maxResource, maxResource) - optimum();
  }
}
