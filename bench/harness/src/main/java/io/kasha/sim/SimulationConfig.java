package io.kasha.sim;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.spec.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One simulated study. The budget is a number of trials (configurations sampled), a span of virtual
 * time, or both; at least one must be finite. {@link #of} fills in the usual defaults and the
 * {@code with*} methods change one setting.
 *
 * @param workers job slots; under ASHA the study's {@code parallelism}
 * @param maxTrials configurations that may be sampled, {@link #NO_TRIAL_LIMIT} for none; also the
 *     size of SHA's bracket when there is a limit
 * @param maxSeconds virtual seconds after which the study stops with its jobs in flight,
 *     {@link #NO_TIME_LIMIT} for none
 * @param seed seeds the sampler ({@link io.kasha.space.RandomSampler}), the durations, the drops and
 *     the function's noise
 * @param stragglerSigma each job's duration is multiplied by {@code 1 + |N(0, stragglerSigma)|}
 * @param dropProbability the probability that a running job is lost in each virtual second; a lost
 *     job is run again from its start, as a lease re-issue would
 * @param checkpoints whether a promoted trial resumes from its last resource (a job from r1 to r2
 *     costs {@code cost(r2) - cost(r1)}) or trains again from scratch ({@code cost(r2)})
 */
public record SimulationConfig(
    BenchmarkFunction function,
    Method method,
    int workers,
    long minResource,
    long maxResource,
    int eta,
    long maxTrials,
    double maxSeconds,
    long seed,
    double stragglerSigma,
    double dropProbability,
    boolean checkpoints) {

  public static final long NO_TRIAL_LIMIT = Long.MAX_VALUE;

  /**
   * The scheduler's limits as simulations run under them: those on a study's parallelism and trials are
   * lifted (a simulation with no trial limit runs until its time is up); the batch of decisions per call,
   * which shapes when decisions happen, is the scheduler's.
   */
  public static final Limits LIMITS = Limits.DEFAULTS.with(java.util.Map.of(
      "parallelism", String.valueOf(Integer.MAX_VALUE), "trials", String.valueOf(Integer.MAX_VALUE)));
  public static final double NO_TIME_LIMIT = Double.POSITIVE_INFINITY;

  /** The name under which a simulated job reports its loss. */
  public static final String METRIC = "loss";

  /** @throws IllegalArgumentException listing every setting that is out of range */
  public SimulationConfig {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(method, "method");
    final List<String> problems = new ArrayList<>();
    if (workers < 1) {
      problems.add("workers must be at least 1 (got " + workers + ")");
    }
    if (minResource < 1 || maxResource < minResource) {
      problems.add("need 1 <= minResource <= maxResource (got " + minResource + ", " + maxResource + ")");
    }
    if (eta < 2) {
      problems.add("eta must be at least 2 (got " + eta + ")");
    }
    if (maxTrials < 1) {
      problems.add("maxTrials must be at least 1 (got " + maxTrials + ")");
    }
    if (!(maxSeconds > 0)) {
      problems.add("maxSeconds must be positive (got " + maxSeconds + ")");
    }
    if (maxTrials == NO_TRIAL_LIMIT && maxSeconds == NO_TIME_LIMIT) {
      problems.add("the budget needs a trial limit, a time limit or both");
    }
    if (!(stragglerSigma >= 0) || Double.isInfinite(stragglerSigma)) {
      problems.add("stragglerSigma must be finite and at least 0 (got " + stragglerSigma + ")");
    }
    if (!(dropProbability >= 0 && dropProbability < 1)) {
      problems.add("dropProbability must be in [0, 1) (got " + dropProbability + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * The function's own resource range, eta 3, seed 0, no stragglers, no drops, with checkpoints; and
   * the given budget, {@link #NO_TRIAL_LIMIT} or {@link #NO_TIME_LIMIT} for none (not both).
   */
  public static SimulationConfig of(final BenchmarkFunction function, final Method method, final int workers,
      final long maxTrials, final double maxSeconds) {
    return new SimulationConfig(function, method, workers, function.defaultMinResource(),
        function.defaultMaxResource(), 3, maxTrials, maxSeconds, 0, 0, 0, true);
  }

  public SimulationConfig withMethod(final Method method) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  public SimulationConfig withWorkers(final int workers) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  public SimulationConfig withResources(final long minResource, final long maxResource, final int eta) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  public SimulationConfig withSeed(final long seed) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  public SimulationConfig withStragglerSigma(final double stragglerSigma) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  public SimulationConfig withDropProbability(final double dropProbability) {
    return new SimulationConfig(function, method, workers, minResource, maxResource, eta, maxTrials, maxSeconds,
        seed, stragglerSigma, dropProbability, checkpoints);
  }

  /**
   * The study the scheduler runs for this simulation: the function's space and rungs, the seed
   * (so its random searcher samples what the simulation samples), one job slot per worker, the
   * trial budget, and a lease no simulated job outlives (a dropped job is run again by the
   * simulation itself).
   */
  public io.kasha.schemas.StudySpec studySpec() {
    return io.kasha.schemas.StudySpec.newBuilder()
        .setName("simulated " + function.name())
        .setMetric(METRIC)
        .setMode(io.kasha.schemas.Mode.MIN)
        .setEntrypoint("simulated-" + function.name())
        .setParams(function.params())
        .setSampler(io.kasha.schemas.SamplerKind.RANDOM)
        .setSeed(seed)
        .setMinResource(minResource)
        .setMaxResource(maxResource)
        .setEta(eta)
        .setParallelism(workers)
        .setMaxTrials((int) Math.min(Integer.MAX_VALUE, maxTrials))
        .setLeaseMs(24L * 3600 * 1000)
        .build();
  }
}
