package io.kasha.sim;

import io.kasha.method.SchedulingRule;
import io.kasha.method.SchedulingRules;
import io.kasha.method.SlotFiller;
import io.kasha.method.SlotPromotion;
import io.kasha.store.InMemoryOrderedStore;
import java.util.Map;

/**
 * ASHA exactly as the scheduler runs it: the rule {@link SchedulingRules} builds for the study
 * ({@link SimulationConfig#studySpec}), over an in-memory store, filled by the same
 * {@link SlotFiller}, with one job slot per worker. Trial ids are {@code t<index>}.
 */
final class AshaScheduling implements Scheduling, SlotFiller.Slots {

  private final SimulatedStudy study;
  private final SchedulingRule rule;

  AshaScheduling(final SimulatedStudy study) {
    this.study = study;
    this.rule = SchedulingRules.forSpec("simulation", study.config().studySpec(), new InMemoryOrderedStore());
  }

  @Override
  public void fill() {
    SlotFiller.fill(rule, this);
  }

  @Override
  public void completed(final Job job, final double loss) {
    rule.record("t" + job.trial(), job.rung(), Map.of(SimulationConfig.METRIC, loss), null);
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
  public void promote(final SlotPromotion promotion) {
    study.start(Long.parseLong(promotion.trialId(), 1, promotion.trialId().length(), 10), promotion.toRung());
  }

  @Override
  public void startNewTrial() {
    final long trial = study.newTrial();
    rule.addTrial("t" + trial, study.params(trial));
    study.start(trial, 0);
  }
}
