package io.kasha.method;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One study's tuning method as the study engine sees it: what happens to a trial after each segment,
 * and which paused trial a free job slot continues. Optional capabilities: {@link ClosableRungs} for a
 * method whose trials wait in rungs that can close, {@link ParetoFront} for a multi-objective one. Implementations keep all their state in the
 * study's ordered store, so one built again over the same store (after a restart) decides the same.
 * Not thread-safe: one study's records are handled serially.
 */
public interface TuningMethod {

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
  default Optional<Promotion> nextPromotion() {
    return Optional.empty();
  }

  /** Acts on a promotion returned by {@link #nextPromotion}. */
  default void markPromoted(final Promotion promotion) {
    throw new UnsupportedOperationException("this method promotes nothing");
  }

  /**
   * True if a free slot may start a new trial now (the study's trial limit permitting); a
   * synchronous method says no while a rung waits for its last results.
   */
  default boolean admitsTrial() {
    return true;
  }

  /** Called once when trialId fails for good at rung: it has no result there and runs no more. */
  default void trialFailed(final String trialId, final int rung) {}

  /**
   * The trials that the method's decisions since the last call left behind for good, so that they
   * never train again (a synchronous rung's trials that were not promoted once its last promotion
   * started); each is returned once. Empty for methods that never leave a trial behind this way.
   */
  default List<String> takePassedOver() {
    return List.of();
  }

  /** trialId's result of the study's metric in rung, if it has one. */
  OptionalDouble metric(int rung, String trialId);
}
