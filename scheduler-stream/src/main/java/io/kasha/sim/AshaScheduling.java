package io.kasha.sim;

import io.kasha.policy.AshaPolicy;
import io.kasha.policy.Direction;
import io.kasha.policy.InMemoryOrderedStore;
import io.kasha.policy.Promotion;
import io.kasha.policy.SlotFiller;

/**
 * ASHA exactly as the scheduler runs it: the same {@link AshaPolicy}, over an in-memory store, filled
 * by the same {@link SlotFiller}, with one job slot per worker. Trial ids are {@code t<index>}.
 */
final class AshaScheduling implements Scheduling, SlotFiller.Slots {

  private final SimulatedStudy study;
  private final AshaPolicy policy;

  AshaScheduling(final SimulatedStudy study) {
    this.study = study;
    final SimulationConfig config = study.config();
    this.policy = new AshaPolicy(new InMemoryOrderedStore(), "simulation", study.schedule(), config.eta(),
        Direction.MINIMIZE);
  }

  @Override
  public void fill() {
    SlotFiller.fill(policy, this);
  }

  @Override
  public void completed(final Job job, final double loss) {
    policy.record(job.rung(), "t" + job.trial(), loss);
  }

  @Override
  public boolean hasFreeSlot() {
    return study.hasFreeWorker();
  }

  @Override
  public boolean trialBudgetLeft() {
    return study.trialsCreated() < study.config().maxTrials();
  }

  @Override
  public void promote(final Promotion promotion) {
    study.start(Long.parseLong(promotion.trialId(), 1, promotion.trialId().length(), 10), promotion.toRung());
  }

  @Override
  public void startNewTrial() {
    study.start(study.newTrial(), 0);
  }
}
