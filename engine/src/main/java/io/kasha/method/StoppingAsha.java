package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Asynchronous successive halving, stopping variant (Ray Tune's {@code ASHAScheduler} and Optuna's
 * {@code SuccessiveHalvingPruner}): a trial keeps running, and when it reaches a rung it continues only
 * if its result is among the best {@code ceil(n / eta)} of the {@code n} results recorded so far in that
 * rung, its own included. So the first trial to reach a rung always continues; a result ranks with the
 * results that arrived before it, never with later ones. Ties go to the earlier result; NaN and
 * infinite results rank last. A trial reaching the top rung is complete.
 *
 * <p>Ray Tune compares the new result with the {@code (1 - 1/eta)} percentile, interpolated, of the
 * results before it; the rank rule here is its discrete form: the same answer except where the
 * interpolation falls between two results.
 *
 * <p>Worked example, eta = 3, minimising, rung 0:
 * <pre>
 *   a 0.5   n = 1, top 1   rank 1        -> continue
 *   b 0.6   n = 2, top 1   rank 2        -> stop
 *   c 0.4   n = 3, top 1   rank 1        -> continue
 *   d 0.45  n = 4, top 2   rank 2        -> continue
 *   e 0.55  n = 5, top 2   rank 4        -> stop
 * </pre>
 *
 * <p>Study-file knobs: {@code eta} (default 3), {@code min_resource} / {@code grace_period} (default 1)
 * and {@code max_resource} (through the {@link RungSchedule}), {@code min_rung_size} (default 1: while a
 * rung holds fewer results than this, its own included, every trial reaching it continues).
 *
 * <p>State, per rung: the ordered index of its results (score, arrival, trial) and the entry at the
 * cut-off, which a new result moves by at most one position; a verdict costs a few store operations
 * whatever the number of trials. Everything lives in the store, so a new instance over the same store
 * continues where the last one stopped. Not thread-safe: one study's results are recorded serially.
 */
public final class StoppingAsha {

  private static final byte CONTINUED = 1;
  private static final byte STOPPED = 0;

  private final OrderedStore store;
  private final RungKeys keys = new RungKeys("");
  private final RungSchedule schedule;
  private final int eta;
  private final Direction direction;
  private final long minRungSize;

  /**
   * @throws IllegalArgumentException if {@code eta < 2}, {@code minRungSize < 1} or the study id
   *     contains a NUL character
   */
  public StoppingAsha(
      final OrderedStore store, final String studyId, final RungSchedule schedule, final int eta,
      final Direction direction, final long minRungSize) {
    this(new NamespacedStore(store, studyId, Keyspace.STOPPING_ASHA), schedule, eta, direction, minRungSize);
  }

  StoppingAsha(
      final NamespacedStore store, final RungSchedule schedule, final int eta, final Direction direction,
      final long minRungSize) {
    if (eta < 2) {
      throw new IllegalArgumentException("eta must be at least 2 (got " + eta + ")");
    }
    if (minRungSize < 1) {
      throw new IllegalArgumentException("minRungSize must be at least 1 (got " + minRungSize + ")");
    }
    this.store = store;
    this.schedule = schedule;
    this.eta = eta;
    this.direction = direction;
    this.minRungSize = minRungSize;
  }

  /**
   * Records trialId's result on reaching rung and answers whether it continues. Recording the same
   * trial in the same rung again changes nothing and answers as the first time (without the reason's
   * rank, which later results have changed).
   *
   * @throws IllegalArgumentException if rung is outside the schedule
   */
  public Verdict record(final int rung, final String trialId, final double metric) {
    if (rung < 0 || rung > schedule.topRung()) {
      throw new IllegalArgumentException("rung " + rung + " is outside 0.." + schedule.topRung());
    }
    final byte[] trialKey = keys.trial(rung, trialId);
    final byte[] earlier = store.get(trialKey);
    if (earlier != null) {
      return repeated(rung, earlier[0] == CONTINUED);
    }
    if (rung == schedule.topRung()) {
      store.put(trialKey, new byte[] {CONTINUED});
      return Verdict.complete("reached the maximum resource " + schedule.resource(rung) + " (" + metric + ")");
    }
    final byte[] entry = RungKeys.entry(RungKeys.score(direction.loss(metric)), nextArrival(), trialId);
    store.put(keys.all(rung, entry), RungKeys.metricValue(metric));
    final Meta before = meta(rung);
    final byte[] cutoff = movedCutoff(rung, before, entry);
    final long n = before.results() + 1;
    store.put(keys.meta(rung), new Meta(n, cutoff).encode());
    final Verdict verdict = verdict(rung, n, entry, cutoff, metric);
    store.put(trialKey, new byte[] {verdict.continues() ? CONTINUED : STOPPED});
    return verdict;
  }

  /** The number of results recorded in rung. */
  public long results(final int rung) {
    return meta(rung).results();
  }

  private Verdict verdict(final int rung, final long n, final byte[] entry, final byte[] cutoff, final double metric) {
    final long top = topCount(n);
    final double cutoffMetric = RungKeys.metricOf(store.get(keys.all(rung, cutoff)));
    if (n < minRungSize) {
      return Verdict.proceed("rung " + rung + " holds " + n + " of min_rung_size " + minRungSize + " results ("
          + metric + ")");
    }
    final String where = "top " + top + " of " + n + " results of rung " + rung + " (" + metric + "), cut-off "
        + cutoffMetric;
    return Arrays.compareUnsigned(entry, cutoff) <= 0
        ? Verdict.proceed("continued: in the " + where)
        : Verdict.stop("stopped: outside the " + where);
  }

  private Verdict repeated(final int rung, final boolean continued) {
    if (rung == schedule.topRung()) {
      return Verdict.complete("reached the maximum resource " + schedule.resource(rung) + " (already recorded)");
    }
    return continued
        ? Verdict.proceed("continued in rung " + rung + " (already recorded)")
        : Verdict.stop("stopped in rung " + rung + " (already recorded)");
  }

  private long topCount(final long n) {
    return (n + eta - 1) / eta;
  }

  /** The cut-off after {@code added} joined the rung: the {@code ceil(n / eta)}-th best entry. */
  private byte[] movedCutoff(final int rung, final Meta before, final byte[] added) {
    final byte[] cutoff = before.cutoff();
    if (cutoff == null) {
      return keys.entryOf(store.first(keys.allStart(rung), keys.allEnd(rung)).key());
    }
    final boolean grew = topCount(before.results() + 1) > topCount(before.results());
    final boolean addedBefore = Arrays.compareUnsigned(added, cutoff) < 0;
    if (addedBefore && !grew) {
      return keys.entryOf(store.last(keys.allStart(rung), keys.all(rung, cutoff)).key());
    }
    if (!addedBefore && grew) {
      return keys.entryOf(store.first(RungKeys.after(keys.all(rung, cutoff)), keys.allEnd(rung)).key());
    }
    return cutoff;
  }

  private long nextArrival() {
    final long arrival = RungKeys.longOf(store.get(keys.counter()));
    store.put(keys.counter(), RungKeys.longValue(arrival + 1));
    return arrival;
  }

  private Meta meta(final int rung) {
    return Meta.decode(store.get(keys.meta(rung)));
  }

  /** A rung's result count and cut-off entry (null while the rung is empty). */
  private record Meta(long results, byte[] cutoff) {

    static Meta decode(final byte[] bytes) {
      if (bytes == null) {
        return new Meta(0, null);
      }
      return new Meta(ByteBuffer.wrap(bytes).getLong(), Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
    }

    byte[] encode() {
      return ByteBuffer.allocate(Long.BYTES + cutoff.length).putLong(results).put(cutoff).array();
    }
  }
}
