package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Multi-objective ASHA (Schmucker et al., "Multi-objective Asynchronous Successive Halving", 2021),
 * promotion variant, with NSGA-II ranking: ASHA's rule of {@link AshaPolicy} where a rung's results are
 * ordered by non-dominated front, then by the declared {@link TieBreak}, then by arrival. In rung k the
 * candidates are the first {@code floor(n_k / eta)} results of that order; a decision scans the rungs
 * from the one below the top down to rung 0 and promotes the first not-yet-promoted candidate of the
 * first rung that has one. A rung promotes nothing before it holds {@code max(eta, min_rung_size)}
 * results. NaN and infinite values rank as the worst value of their objective. The study's result is
 * the Pareto front of the highest rung that holds results ({@link #paretoFront()}).
 *
 * <p>Worked example, eta = 3, minimising both objectives, rung 0 gets a (1, 5), b (2, 2), c (5, 1),
 * d (3, 3), e (4, 4), f (6, 6): fronts {a, b, c}, {d}, {e}, {f}; within front 0 a and c are the
 * extremes (infinite crowding distance), so the top 2 are a and c and they are promoted in that order.
 *
 * <p>Study-file knobs: {@code objectives} (two or more, each a metric and its mode MIN or MAX),
 * {@code tie_break} (default {@code crowding_distance}; {@code weighted_sum} with {@code weights},
 * default all 1), {@code eta} (default 3), {@code min_resource}, {@code max_resource},
 * {@code early_stopping_rate} (through the {@link RungSchedule}) and {@code min_rung_size} (default 1).
 *
 * <p>Cost: the order is not monotone (a new result can change the crowding of others), so each rung
 * looked at is read and sorted: O(m n^2) for its n results and m objectives, fine for the hundreds to
 * low thousands of trials multi-objective studies run. All state (results by arrival, promotion
 * marks, counters) lives in the store, so a new instance over the same store continues identically.
 */
public final class MultiObjectiveAsha {

  private static final byte[] COUNTER = {'C'};
  private static final byte RESULT = 'A';
  private static final byte TRIAL = 'T';
  private static final byte PROMOTED = 'P';

  private final OrderedStore store;
  private final RungSchedule schedule;
  private final int eta;
  private final List<Objective> objectives;
  private final TieBreak tieBreak;
  private final double[] weights;
  private final long minRungSize;

  /**
   * @param weights one per objective for {@link TieBreak#WEIGHTED_SUM}, or none for all 1; ignored by
   *     crowding distance
   * @throws IllegalArgumentException if {@code eta < 2}, fewer than two objectives, weights of the
   *     wrong length for a weighted sum, {@code minRungSize < 1}, or a NUL in the study id
   */
  public MultiObjectiveAsha(
      final OrderedStore store, final String studyId, final RungSchedule schedule, final int eta,
      final List<Objective> objectives, final TieBreak tieBreak, final List<Double> weights, final long minRungSize) {
    if (eta < 2 || objectives.size() < 2 || minRungSize < 1
        || (tieBreak == TieBreak.WEIGHTED_SUM && !weights.isEmpty() && weights.size() != objectives.size())) {
      throw new IllegalArgumentException("need eta >= 2, two or more objectives, min_rung_size >= 1 and one weight "
          + "per objective for a weighted sum (got eta " + eta + ", " + objectives.size() + " objectives, "
          + "min_rung_size " + minRungSize + ", weights " + weights + ")");
    }
    this.store = new NamespacedStore(store, studyId, Keyspace.MO_ASHA);
    this.schedule = schedule;
    this.eta = eta;
    this.objectives = List.copyOf(objectives);
    this.tieBreak = tieBreak;
    this.weights = weights.isEmpty()
        ? objectives.stream().mapToDouble(o -> 1.0).toArray()
        : weights.stream().mapToDouble(Double::doubleValue).toArray();
    this.minRungSize = minRungSize;
  }

  /**
   * Records trialId's results in rung, one per objective in declared order. Returns false, and
   * changes nothing, if the trial already has results in that rung.
   *
   * @throws IllegalArgumentException if rung is outside the schedule or the count of metrics is wrong
   */
  public boolean record(final int rung, final String trialId, final List<Double> metrics) {
    checkRung(rung);
    if (metrics.size() != objectives.size()) {
      throw new IllegalArgumentException("expected " + objectives.size() + " metrics (got " + metrics + ")");
    }
    final byte[] trialKey = trialKey(rung, trialId);
    if (store.get(trialKey) != null) {
      return false;
    }
    final long arrival = RungKeys.longOf(store.get(COUNTER));
    store.put(COUNTER, RungKeys.longValue(arrival + 1));
    final ByteBuffer value = ByteBuffer.allocate(Double.BYTES * metrics.size());
    metrics.forEach(value::putDouble);
    store.put(trialKey, RungKeys.longValue(arrival));
    store.put(resultKey(rung, arrival, trialId), value.array());
    return true;
  }

  /** The next promotion, or empty; a pure read: call {@link #markPromoted} once it is acted on. */
  public Optional<MoPromotion> nextPromotion() {
    for (int rung = schedule.topRung() - 1; rung >= 0; rung--) {
      final Optional<MoPromotion> promotion = promotionFrom(rung);
      if (promotion.isPresent()) {
        return promotion;
      }
    }
    return Optional.empty();
  }

  /** True if the rung has a candidate not promoted yet, so that {@link #nextPromotion} could promote out of it. */
  public boolean promotable(final int rung) {
    checkRung(rung);
    return promotionFrom(rung).isPresent();
  }

  private Optional<MoPromotion> promotionFrom(final int rung) {
    final List<MoResult> results = results(rung);
    final long n = results.size();
    final long candidates = n / eta;
    if (n < minRungSize || candidates == 0) {
      return Optional.empty();
    }
    final double[][] points = folded(results);
    final int[] order = ParetoRanking.order(points, tieBreak, weights);
    for (int place = 0; place < candidates; place++) {
      final MoResult result = results.get(order[place]);
      if (store.get(promotedKey(rung, result.trialId())) == null) {
        return Optional.of(new MoPromotion(result.trialId(), rung, result.metrics(), place + 1,
            ParetoRanking.fronts(points)[order[place]], n, candidates));
      }
    }
    return Optional.empty();
  }

  /**
   * Marks the trial as promoted out of its rung; marking it again changes nothing.
   *
   * @throws IllegalArgumentException if the trial has no result in that rung
   */
  public void markPromoted(final MoPromotion promotion) {
    checkRung(promotion.fromRung());
    if (store.get(trialKey(promotion.fromRung(), promotion.trialId())) == null) {
      throw new IllegalArgumentException("trial " + promotion.trialId() + " has no result in rung "
          + promotion.fromRung() + " to be promoted from");
    }
    store.put(promotedKey(promotion.fromRung(), promotion.trialId()), new byte[0]);
  }

  /** The rung's results in arrival order. */
  public List<MoResult> results(final int rung) {
    final List<MoResult> results = new ArrayList<>();
    final byte[] start = resultStart(rung);
    final byte[] end = resultStart(rung + 1);
    OrderedStore.Entry entry = store.first(start, end);
    while (entry != null) {
      final String trialId = new String(entry.key(), start.length + Long.BYTES,
          entry.key().length - start.length - Long.BYTES, StandardCharsets.UTF_8);
      final ByteBuffer value = ByteBuffer.wrap(entry.value());
      final List<Double> metrics = new ArrayList<>();
      while (value.hasRemaining()) {
        metrics.add(value.getDouble());
      }
      results.add(new MoResult(trialId, rung, metrics));
      entry = store.first(RungKeys.after(entry.key()), end);
    }
    return results;
  }

  /** The non-dominated results of the highest rung holding any, in arrival order; empty before any result. */
  public List<MoResult> paretoFront() {
    for (int rung = schedule.topRung(); rung >= 0; rung--) {
      final List<MoResult> results = results(rung);
      if (!results.isEmpty()) {
        return paretoFront(results);
      }
    }
    return List.of();
  }

  /** The non-dominated results among the given ones, in their order. */
  public List<MoResult> paretoFront(final List<MoResult> results) {
    final int[] fronts = ParetoRanking.fronts(folded(results));
    final List<MoResult> front = new ArrayList<>();
    for (int i = 0; i < fronts.length; i++) {
      if (fronts[i] == 0) {
        front.add(results.get(i));
      }
    }
    return front;
  }

  private double[][] folded(final List<MoResult> results) {
    final double[][] points = new double[results.size()][];
    for (int i = 0; i < points.length; i++) {
      final List<Double> metrics = results.get(i).metrics();
      points[i] = new double[metrics.size()];
      for (int m = 0; m < metrics.size(); m++) {
        points[i][m] = objectives.get(m).folded(metrics.get(m));
      }
    }
    return points;
  }

  private void checkRung(final int rung) {
    if (rung < 0 || rung > schedule.topRung()) {
      throw new IllegalArgumentException("rung " + rung + " is outside 0.." + schedule.topRung());
    }
  }

  private static byte[] trialKey(final int rung, final String trialId) {
    return key(TRIAL, rung, trialId.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] promotedKey(final int rung, final String trialId) {
    return key(PROMOTED, rung, trialId.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] resultKey(final int rung, final long arrival, final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return key(RESULT, rung, ByteBuffer.allocate(Long.BYTES + id.length).putLong(arrival).put(id).array());
  }

  private static byte[] resultStart(final int rung) {
    return key(RESULT, rung, new byte[0]);
  }

  private static byte[] key(final byte tag, final int rung, final byte[] rest) {
    return ByteBuffer.allocate(1 + Integer.BYTES + rest.length).put(tag).putInt(rung).put(rest).array();
  }
}
