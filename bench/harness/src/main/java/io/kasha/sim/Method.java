package io.kasha.sim;

import io.kasha.method.Bracket;
import java.util.List;

/**
 * The tuning methods the simulator compares, all on the same rungs, workers and cost model. Each is
 * the {@link Scheduling.Factory} of its in-memory implementation.
 */
public enum Method implements Scheduling.Factory {

  /**
   * Asynchronous successive halving: the scheduler's own rule ({@link io.kasha.method.SchedulingRules})
   * and slot filling ({@link io.kasha.method.SlotFiller}), with one job slot per worker.
   */
  ASHA,

  /**
   * Synchronous successive halving over every rung: rung k+1 starts only when all of rung k is done,
   * with the best {@code floor(n_k / eta)} of it, and free workers wait meanwhile. One bracket of
   * {@code maxTrials} configurations; without a trial limit, brackets one after another until the time
   * limit, each of the smallest multiple of {@code eta^s_max} (the first Hyperband bracket, where one
   * configuration reaches the top) that gives every worker a job at rung 0.
   */
  SHA,

  /**
   * Hyperband (Li et al., JMLR 2018): the brackets s = s_max..0 of {@link Bracket#hyperband}, one after
   * another, each run as a synchronous successive halving, repeated while the budget allows.
   */
  HYPERBAND,

  /** Random search: every configuration trained from scratch straight to the maximum resource. */
  RANDOM;

  @Override
  public Scheduling create(final SimulatedStudy study) {
    final SimulationConfig config = study.config();
    return switch (this) {
      case ASHA -> new AshaScheduling(study);
      case SHA -> new BracketScheduling(study, List.of(Bracket.successiveHalving(shaBracketSize(config),
          config.minResource(), config.maxResource(), config.eta())));
      case HYPERBAND -> new BracketScheduling(study,
          Bracket.hyperband(config.minResource(), config.maxResource(), config.eta()));
      case RANDOM -> new BracketScheduling(study, List.of(Bracket.randomSearch(config.maxTrials(), config.maxResource())));
    };
  }

  private static long shaBracketSize(final SimulationConfig config) {
    if (config.maxTrials() != SimulationConfig.NO_TRIAL_LIMIT) {
      return config.maxTrials();
    }
    final long top = Bracket.hyperband(config.minResource(), config.maxResource(), config.eta()).get(0).n();
    return Math.multiplyExact(top, (config.workers() + top - 1) / top);
  }
}
