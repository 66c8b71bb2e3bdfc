package io.kasha.bench.sim;

import io.kasha.benchmark.BenchmarkFunction;

/**
 * The default budget and target of {@code kasha bench sim} for each benchmark function.
 *
 * <p>The budget is a virtual-time limit, the same for every number of workers: 100 hours for the
 * functions whose full training costs an hour (hartmann3, hartmann6, branin), so that ASHA with one
 * worker runs a real study (about 700 to 1,300 trials); 100,000 s for counting-ones (729 s per full
 * evaluation) and 10,000 s for height (100 s).
 *
 * <p>The target regret is the smallest of 1, 0.5, 0.25, 0.1, 0.05 that ASHA with one worker reaches
 * on every one of seeds 0..9 within that budget (eta 3, the function's own resources, no stragglers
 * or drops). The speedup over one worker divides mean times to target, so the one-worker mean must not
 * leave out seeds that never got there; a stricter target would, and a looser one would be reached by
 * the first few results of any parallel run.
 *
 * @param maxSeconds the virtual-time limit of a study
 * @param targetRegret the regret whose first crossing is the time to target
 */
record SimBenchDefaults(double maxSeconds, double targetRegret) {

  static SimBenchDefaults of(final BenchmarkFunction function) {
    return switch (function.name()) {
      case "hartmann3", "branin" -> new SimBenchDefaults(360_000, 0.25);
      case "hartmann6" -> new SimBenchDefaults(360_000, 1.0);
      case "counting-ones" -> new SimBenchDefaults(100_000, 1.0);
      case "height" -> new SimBenchDefaults(10_000, 0.05);
      default -> new SimBenchDefaults(
          100 * function.cost(function.defaultMaxResource(), function.defaultMaxResource()), 1.0);
    };
  }
}
