package io.kasha.method;

import java.util.Optional;

/**
 * How a study's free job slots are filled, shared by the scheduler's {@code StudyProcessor} and the
 * simulator so that both make the same decisions: one slot at a time, the rule's next promotion
 * (marked before the study acts on it), else a new trial while the trial budget and the rule allow
 * one, else nothing until the state changes.
 */
public final class SlotFiller {

  /** What the filler asks of the study whose slots it fills. Called only from {@link #fill}. */
  public interface Slots {

    /** True if one more job may start now. */
    boolean hasFreeSlot();

    /** True if the study's trial budget allows one more trial. */
    boolean trialBudgetLeft();

    /** Starts the promoted trial's next job; the promotion is already marked in the rule. */
    void promote(SlotPromotion promotion);

    /** Samples a new configuration and starts its first job. */
    void startNewTrial();
  }

  private SlotFiller() {}

  /**
   * Fills slots until none is free or nothing can start. Each started job must take a slot, or this
   * does not end.
   */
  public static void fill(final SchedulingRule rule, final Slots slots) {
    while (slots.hasFreeSlot()) {
      final Optional<SlotPromotion> promotion = rule.nextPromotion();
      if (promotion.isPresent()) {
        rule.markPromoted(promotion.get());
        slots.promote(promotion.get());
      } else if (slots.trialBudgetLeft() && rule.admitsTrial()) {
        slots.startNewTrial();
      } else {
        return;
      }
    }
  }
}
