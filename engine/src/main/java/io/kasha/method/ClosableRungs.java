package io.kasha.method;


/**
 * A tuning method whose trials wait in rungs for a promotion, rungs that close once nothing more can
 * enter or leave them (ASHA's promotion variant, multi-objective ASHA, asynchronous Hyperband): the
 * engine then releases the checkpoints of the trials left waiting there (its paused trials whose rung
 * is closed).
 */
public interface ClosableRungs {

  /**
   * How many rungs can close, numbered 0 .. n-1 over all the method's brackets: every rung a trial
   * waits in for a promotion (each rung of a bracket but its top one). Once no trial can enter such
   * a rung any more and the method can promote nothing more out of it, the trials left waiting in it
   * never train again, so their checkpoints can go (ASHA's promotion variant, asynchronous
   * Hyperband).
   */
  int closableRungs();

  /** The number of trialId's rung among the closable rungs, or -1 if that rung cannot close. */
  int closableRung(String trialId, int rung);

  /**
   * The closable rung whose promotions enter closable rung {@code closable} (a lower number), or -1
   * if new trials enter it (a bracket's first rung).
   */
  int feederOf(int closable);

  /** True if {@link TuningMethod#nextPromotion} could promote out of the closable rung now. */
  boolean promotable(int closable);

  /** The closable rung as the audit log names it, for example "rung 1" or "rung 1 of bracket 2". */
  default String rungName(final int closable) {
    return "rung " + closable;
  }
}
