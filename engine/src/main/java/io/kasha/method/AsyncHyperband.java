package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Asynchronous Hyperband (Li et al., "A System for Massively Parallel Hyperparameter Tuning", §3.3;
 * Ray Tune's {@code AsyncHyperBandScheduler}): ASHA brackets looped. Bracket s, for
 * {@code s = 0 .. brackets - 1}, is an {@link AshaPolicy} whose first rung is at
 * {@code min_resource * eta^s}, so bracket 0 stops early most aggressively and the last bracket
 * least. Each new trial is assigned to one bracket for its whole life by the {@link BracketRule}, and
 * is promoted by the ASHA rule among the trials of its bracket only.
 *
 * <p>Worked example, min_resource 1, max_resource 27, eta 3: four brackets with rungs
 * {@code 1 3 9 27}, {@code 3 9 27}, {@code 9 27} and {@code 27}; round robin sends trials a, b, c, d,
 * e to brackets 0, 1, 2, 3, 0; the last bracket is plain random search at full resource.
 *
 * <p>Study-file knobs: {@code eta} (default 3), {@code min_resource} (default 1), {@code max_resource},
 * {@code brackets} (default {@code s_max + 1}, where {@code s_max} is the largest s with
 * {@code min_resource * eta^s <= max_resource}; any value from 1 to that), {@code bracket_rule}
 * (default {@code round_robin}) and {@code seed} (default 0, used by {@code weighted}).
 *
 * <p>A slot is filled as in ASHA: the promotion to the largest resource over all brackets (ties to
 * the lower bracket), else a new trial. The bracket of every trial and the trial counter live in the
 * store beside each bracket's rung indexes, so a new instance over the same store continues. A
 * decision costs a few store operations per rung of every bracket.
 */
public final class AsyncHyperband {

  private final BracketAssignment assignments;
  private final List<AshaPolicy> policies = new ArrayList<>();
  private final List<RungSchedule> schedules = new ArrayList<>();

  /**
   * @throws IllegalArgumentException if {@code eta < 2}, {@code minResource < 1},
   *     {@code maxResource < minResource}, brackets is outside {@code 1 .. s_max + 1}, or the study id
   *     contains a NUL character
   */
  public AsyncHyperband(
      final OrderedStore store, final String studyId, final long minResource, final long maxResource,
      final int eta, final Direction direction, final int brackets, final BracketRule rule, final long seed) {
    schedules.addAll(schedules(minResource, maxResource, eta, brackets));
    for (int s = 0; s < brackets; s++) {
      policies.add(new AshaPolicy(new NamespacedStore(store, studyId, Keyspace.HYPERBAND_BRACKETS, bracketTag(s)), "", schedules.get(s), eta,
          direction));
    }
    this.assignments = new BracketAssignment(new NamespacedStore(store, studyId, Keyspace.HYPERBAND_ASSIGNMENTS),
        schedules.stream().mapToInt(RungSchedule::size).toArray(), rule, seed);
  }

  /**
   * The rungs of brackets 0 .. brackets - 1: bracket s starts at {@code min_resource * eta^s}.
   *
   * @throws IllegalArgumentException as the constructor
   */
  static List<RungSchedule> schedules(final long minResource, final long maxResource, final int eta,
      final int brackets) {
    final int most = maxBrackets(minResource, maxResource, eta);
    if (brackets < 1 || brackets > most) {
      throw new IllegalArgumentException("brackets must be between 1 and " + most + " for min_resource "
          + minResource + ", max_resource " + maxResource + " and eta " + eta + " (got " + brackets + ")");
    }
    final List<RungSchedule> schedules = new ArrayList<>();
    for (int s = 0; s < brackets; s++) {
      schedules.add(RungSchedule.of(minResource, maxResource, eta, s));
    }
    return List.copyOf(schedules);
  }

  /** The key part that keeps a bracket's rung indexes apart from the others'. */
  static byte[] bracketTag(final int bracket) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(bracket).array();
  }

  /**
   * {@code s_max + 1}: how many brackets min_resource, max_resource and eta allow.
   *
   * @throws IllegalArgumentException if {@code eta < 2}, {@code minResource < 1} or
   *     {@code maxResource < minResource}
   */
  public static int maxBrackets(final long minResource, final long maxResource, final int eta) {
    if (eta < 2 || minResource < 1 || maxResource < minResource) {
      throw new IllegalArgumentException("need eta >= 2 and 1 <= min_resource <= max_resource (got eta " + eta
          + ", min_resource " + minResource + ", max_resource " + maxResource + ")");
    }
    int brackets = 1;
    long resource = minResource;
    while (resource <= maxResource / eta) {
      resource *= eta;
      brackets++;
    }
    return brackets;
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
   * Records trialId's result in rung of its bracket. Returns false, and changes nothing, if it has a
   * result there already.
   *
   * @throws IllegalArgumentException if the trial has no bracket or rung is outside its schedule
   */
  public boolean record(final String trialId, final int rung, final double metric) {
    return policies.get(assignments.require(trialId)).record(rung, trialId, metric);
  }

  /** The promotion to the largest resource over all brackets, ties to the lower bracket; a pure read. */
  public Optional<BracketPromotion> nextPromotion() {
    BracketPromotion best = null;
    for (int b = 0; b < policies.size(); b++) {
      final Optional<AshaPromotion> promotion = policies.get(b).nextPromotion();
      if (promotion.isPresent()) {
        final AshaPromotion p = promotion.get();
        final RungSchedule schedule = schedules.get(b);
        final BracketPromotion candidate = new BracketPromotion(
            b, p, schedule.resource(p.fromRung()), schedule.resource(p.toRung()));
        if (best == null || candidate.toResource() > best.toResource()) {
          best = candidate;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  public void markPromoted(final BracketPromotion promotion) {
    policies.get(promotion.bracket()).markPromoted(promotion.promotion());
  }

  /** True if the ASHA rule of the bracket could promote out of its rung now. */
  public boolean promotable(final int bracket, final int rung) {
    return policies.get(bracket).promotable(rung);
  }

  public int brackets() {
    return policies.size();
  }

  /** Results recorded in rung of bracket. */
  public long results(final int bracket, final int rung) {
    return policies.get(bracket).results(rung);
  }
}
