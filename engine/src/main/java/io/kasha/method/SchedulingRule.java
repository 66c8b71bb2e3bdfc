package io.kasha.method;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One study's scheduling rule as the scheduler sees it: what happens to a trial after each segment,
 * and which paused trial a free job slot continues. Implementations keep all their state in the
 * study's ordered store, so one built again over the same store (after a restart) decides the same.
 * Not thread-safe: one study's records are handled serially.
 */
public interface SchedulingRule {

  /** Called once per trial before its first job, with its sampled parameters. */
  void addTrial(String trialId, Map<String, Object> params);

  /** The resources at which the trial's segments end; the last one completes the trial. */
  RungSchedule schedule(String trialId);

  /** The metrics a completed segment must report: the study's metric first. */
  List<String> metrics();

  /**
   * Records the result of trialId's segment ending at rung, with the checkpoint it wrote (or null),
   * and answers what the trial does next.
   */
  Outcome record(String trialId, int rung, Map<String, Double> metrics, String checkpointUri);

  /** The paused trial a free slot should continue, or empty; a pure read. */
  default Optional<SlotPromotion> nextPromotion() {
    return Optional.empty();
  }

  /** Acts on a promotion returned by {@link #nextPromotion}. */
  default void markPromoted(final SlotPromotion promotion) {
    throw new UnsupportedOperationException("this rule promotes nothing");
  }

  /**
   * True if a free slot may start a new trial now (the study's trial limit permitting); a
   * synchronous rule says no while a rung waits for its last results.
   */
  default boolean admitsTrial() {
    return true;
  }

  /** Called once when trialId fails for good at rung: it has no result there and runs no more. */
  default void trialFailed(final String trialId, final int rung) {}

  /**
   * How many rungs can close, numbered 0 .. n-1 over all the rule's brackets: every rung a trial
   * waits in for a promotion (each rung of a bracket but its top one). Once no trial can enter such
   * a rung any more and the rule can promote nothing more out of it, the trials left waiting in it
   * never train again, so their checkpoints can go (ASHA's promotion variant, asynchronous
   * Hyperband). 0 for rules whose trials never wait for a promotion.
   */
  default int closableRungs() {
    return 0;
  }

  /** The number of trialId's rung among the closable rungs, or -1 if that rung cannot close. */
  default int closableRung(final String trialId, final int rung) {
    return -1;
  }

  /**
   * The closable rung whose promotions enter closable rung {@code closable} (a lower number), or -1
   * if new trials enter it (a bracket's first rung).
   */
  default int feederOf(final int closable) {
    return -1;
  }

  /** True if {@link #nextPromotion} could promote out of the closable rung now. */
  default boolean promotable(final int closable) {
    return false;
  }

  /** The trials with a result in the closable rung that were not promoted out of it. */
  default List<String> waitingIn(final int closable) {
    return List.of();
  }

  /** The closable rung as the audit log names it, for example "rung 1" or "rung 1 of bracket 2". */
  default String rungName(final int closable) {
    return "rung " + closable;
  }

  /**
   * The trials that the rule's decisions since the last call left behind for good, so that they
   * never train again (a synchronous rung's trials that were not promoted once its last promotion
   * started); each is returned once. Empty for rules that never leave a trial behind this way.
   */
  default List<String> takePassedOver() {
    return List.of();
  }

  /** trialId's result of the study's metric in rung, if it has one. */
  OptionalDouble metric(int rung, String trialId);

  /** The study's Pareto front, for a multi-objective study; empty otherwise. */
  default List<FrontMember> paretoFront() {
    return List.of();
  }

  /** One trial of a Pareto front: its rung and its value of every objective, by metric name. */
  record FrontMember(String trialId, int rung, Map<String, Double> metrics) {}
}
