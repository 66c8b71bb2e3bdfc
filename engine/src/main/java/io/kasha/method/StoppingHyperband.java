package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Asynchronous Hyperband with the stopping rule in each bracket: Ray Tune's
 * {@code AsyncHyperBandScheduler} with {@code brackets > 1}. Brackets and their assignment are those of
 * {@link AsyncHyperband} (bracket s has its first rung at {@code min_resource * eta^s}); within its
 * bracket a trial is judged by {@link StoppingAsha} against the trials of that bracket only.
 *
 * <p>Study-file knobs: those of {@link AsyncHyperband}, and {@code min_rung_size} (default 1) of
 * {@link StoppingAsha}. All state is in the store; a new instance over it continues identically.
 */
public final class StoppingHyperband {

  private final BracketAssignment assignments;
  private final List<StoppingAsha> rules = new ArrayList<>();
  private final List<RungSchedule> schedules = new ArrayList<>();

  /**
   * @throws IllegalArgumentException as {@link AsyncHyperband}'s constructor, or if
   *     {@code minRungSize < 1}
   */
  public StoppingHyperband(
      final OrderedStore store, final String studyId, final long minResource, final long maxResource,
      final int eta, final Direction direction, final int brackets, final BracketRule rule, final long seed,
      final long minRungSize) {
    schedules.addAll(AsyncHyperband.schedules(minResource, maxResource, eta, brackets));
    for (int s = 0; s < brackets; s++) {
      rules.add(new StoppingAsha(new NamespacedStore(store, studyId, Keyspace.STOPPING_BRACKETS, AsyncHyperband.bracketTag(s)),
          schedules.get(s), eta, direction, minRungSize));
    }
    this.assignments = new BracketAssignment(new NamespacedStore(store, studyId, Keyspace.STOPPING_ASSIGNMENTS),
        schedules.stream().mapToInt(RungSchedule::size).toArray(), rule, seed);
  }

  /** Assigns a new trial to a bracket and returns it; for a trial already assigned, its bracket. */
  public int assign(final String trialId) {
    return assignments.assign(trialId);
  }

  public OptionalInt bracketOf(final String trialId) {
    return assignments.bracketOf(trialId);
  }

  public RungSchedule schedule(final int bracket) {
    return schedules.get(bracket);
  }

  /**
   * Records trialId's result on reaching rung of its bracket's schedule and answers whether it continues.
   *
   * @throws IllegalArgumentException if the trial has no bracket or rung is outside its schedule
   */
  public Verdict record(final String trialId, final int rung, final double metric) {
    final int bracket = assignments.require(trialId);
    final Verdict verdict = rules.get(bracket).record(rung, trialId, metric);
    return new Verdict(verdict.action(), "bracket " + bracket + ": " + verdict.reason());
  }
}
