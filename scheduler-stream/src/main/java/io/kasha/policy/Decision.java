package io.kasha.policy;

/**
 * What to do with one free job slot. The caller fills its free slots one decision at a time,
 * re-deciding after each, and stops at the first {@link Idle}.
 */
public sealed interface Decision {

  /** Continue a trial to its next rung. */
  record Promote(Promotion promotion) implements Decision {}

  /** Sample a new configuration into rung 0. */
  record NewTrial() implements Decision {}

  /** Nothing to start until the state changes. */
  record Idle() implements Decision {}

  /** Promotion first; otherwise a new trial if the trial budget allows one; otherwise idle. */
  static Decision next(final AshaPolicy policy, final boolean trialBudgetLeft) {
    return policy.nextPromotion()
        .<Decision>map(Promote::new)
        .orElseGet(() -> trialBudgetLeft ? new NewTrial() : new Idle());
  }
}
