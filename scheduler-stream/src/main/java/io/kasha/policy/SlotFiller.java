package io.kasha.policy;

/**
 * The ASHA rule for a study's free job slots, as the simulator applies it: fill the free slots one at
 * a time, each with one {@link Decision} (the best promotable trial of the highest rung, else a new
 * trial while the trial budget allows), and stop at the first {@link Decision.Idle} or when no slot
 * is free. The scheduler's {@code StudyProcessor} runs the same loop over its per-study scheduling
 * rule; that both decide alike is checked by running one simulated study both ways
 * ({@code PipelineSimulationIT}).
 */
public final class SlotFiller {

  /** What the filler asks of the study whose slots it fills. Called only from {@link #fill}. */
  public interface Slots {

    /** True if one more job may start now. */
    boolean hasFreeSlot();

    /** True if one more trial may be created. */
    boolean trialBudgetLeft();

    /** Starts the promoted trial's next job; the promotion is already marked in the policy. */
    void promote(Promotion promotion);

    /** Samples a new configuration and starts its rung-0 job. */
    void startNewTrial();
  }

  private SlotFiller() {}

  /**
   * Fills slots until none is free or nothing can start. Each started job must take a slot, or this
   * does not end.
   */
  public static void fill(final AshaPolicy policy, final Slots slots) {
    while (slots.hasFreeSlot()) {
      final Decision decision = Decision.next(policy, slots.trialBudgetLeft());
      if (decision instanceof Decision.Promote promote) {
        policy.markPromoted(promote.promotion());
        slots.promote(promote.promotion());
      } else if (decision instanceof Decision.NewTrial) {
        slots.startNewTrial();
      } else {
        return;
      }
    }
  }
}
