package io.kasha.sim;

import io.kasha.method.Bracket;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudySpec;

/**
 * The tuning methods the simulator compares, all on the same rungs, workers and cost model. Each is
 * the {@link Scheduling.Factory} of its in-memory implementation.
 */
public enum Method implements Scheduling.Factory {

  /** Asynchronous successive halving: the scheduler's ASHA, with one job slot per worker. */
  ASHA,

  /**
   * Synchronous successive halving over every rung, the scheduler's SHA: rung k+1 starts only when all
   * of rung k is done, with the best {@code floor(n_k / eta)} of it, and free workers wait meanwhile. One
   * bracket of {@code maxTrials} configurations; without a trial limit, brackets one after another
   * (each a study of its own) until the time limit, each of the smallest multiple of {@code eta^s_max}
   * (the first Hyperband bracket, where one configuration reaches the top) that gives every worker a
   * job at rung 0.
   */
  SHA,

  /**
   * Hyperband (Li et al., JMLR 2018), the scheduler's synchronous form: the brackets s = s_max..0, one
   * after another, each run as a synchronous successive halving, repeated while the budget allows.
   */
  HYPERBAND,

  /** Random search: ASHA over one rung, so every configuration trains from scratch to the maximum resource. */
  RANDOM;

  @Override
  public Scheduling create(final SimulatedStudy study) {
    final SimulationConfig config = study.config();
    return new EngineScheduling(study, n -> spec(config, n));
  }

  /** The scheduler's spec of the {@code n}-th study of a simulation, or null if it has no such study. */
  public StudySpec spec(final SimulationConfig config, final int n) {
    final StudySpec base = config.studySpec();
    final boolean unlimitedSha = this == SHA && config.maxTrials() == SimulationConfig.NO_TRIAL_LIMIT;
    if (n > 0 && !unlimitedSha) {
      return null;
    }
    return switch (this) {
      case ASHA -> base;
      case HYPERBAND -> StudySpec.newBuilder(base).setScheduler(SchedulerKind.HYPERBAND).build();
      case RANDOM -> StudySpec.newBuilder(base).setMinResource(config.maxResource()).build();
      case SHA -> unlimitedSha
          ? StudySpec.newBuilder(base).setScheduler(SchedulerKind.SHA)
              .setMaxTrials(Math.toIntExact(shaBracketSize(config))).setSeed(config.seed() + n).build()
          : StudySpec.newBuilder(base).setScheduler(SchedulerKind.SHA).build();
    };
  }

  private static long shaBracketSize(final SimulationConfig config) {
    final long top = Bracket.hyperband(config.minResource(), config.maxResource(), config.eta()).get(0).n();
    return Math.multiplyExact(top, (config.workers() + top - 1) / top);
  }
}
