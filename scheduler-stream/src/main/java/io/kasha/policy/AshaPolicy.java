package io.kasha.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Asynchronous successive halving, promotion variant (Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", Algorithm 2), for one study whose whole state lives in an {@link OrderedStore}.
 *
 * <p>In rung k the candidates are the best {@code floor(n_k / eta)} of its {@code n_k} results. A
 * decision scans the rungs from the one below the top down to rung 0 and promotes the best
 * not-yet-promoted candidate of the first rung that has one. Nothing leaves a rung before it holds
 * {@code eta} results; ties go to the earlier result; NaN and infinite results rank last.
 *
 * <p>Worked example, eta = 3, minimising, rungs at resources 1, 3, 9:
 * <pre>
 *   rung 0 gets a 0.5, b 0.3, c 0.4   n = 3, top 1 = {b}      -> promote b to rung 1
 *   rung 0 gets d 0.2                 n = 4, top 1 = {d}      -> promote d
 *   rung 0 gets e 0.6                 n = 5, top 1 = {d}      -> d already promoted: no promotion
 *   rung 0 gets f 0.1                 n = 6, top 2 = {f, d}   -> promote f
 *   rung 1 gets b 0.25, d 0.3, f 0.2  n = 3, top 1 = {f}      -> promote f to rung 2, before rung 0 is looked at
 * </pre>
 *
 * <p>Each rung keeps two ordered indexes keyed by (score, arrival, trial): all its results, and those
 * not yet promoted; and it keeps the entry at the cut-off. A new result moves the cut-off by at most
 * one position, and a rung has a candidate iff its best unpromoted entry sorts at or before the
 * cut-off. So every call costs a few store operations per rung, whatever the number of trials.
 * Not thread-safe: one study's decisions are serial.
 */
public final class AshaPolicy {

  private final OrderedStore store;
  private final RungKeys keys;
  private final RungSchedule schedule;
  private final int eta;
  private final Direction direction;

  /**
   * All keys this instance writes start with studyId's UTF-8 bytes then a 0x00 byte, so many studies
   * share one store.
   *
   * @throws IllegalArgumentException if {@code eta < 2} or the study id contains a NUL character
   */
  public AshaPolicy(
      final OrderedStore store, final String studyId, final RungSchedule schedule, final int eta,
      final Direction direction) {
    if (eta < 2) {
      throw new IllegalArgumentException("eta must be at least 2 (got " + eta + ")");
    }
    if (studyId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a study id must not contain a NUL character");
    }
    this.store = store;
    this.keys = new RungKeys(studyId);
    this.schedule = schedule;
    this.eta = eta;
    this.direction = direction;
  }

  /**
   * Records trialId's result in rung. Returns false, and changes nothing, if that trial already has
   * a result in that rung.
   */
  public boolean record(final int rung, final String trialId, final double metric) {
    checkRung(rung);
    final byte[] trialKey = keys.trial(rung, trialId);
    if (store.get(trialKey) != null) {
      return false;
    }
    final byte[] entry = RungKeys.entry(RungKeys.score(metric, direction), nextArrival(), trialId);
    final byte[] value = RungKeys.metricValue(metric);
    store.put(trialKey, entry);
    store.put(keys.all(rung, entry), value);
    store.put(keys.open(rung, entry), value);
    final RungState state = state(rung);
    store.put(keys.meta(rung), state.withResult(movedCutoff(rung, state, entry)).encode());
    return true;
  }

  /**
   * The next promotion, or empty if no rung has a candidate that is not promoted yet. A pure read:
   * call {@link #markPromoted} once the promotion is acted on.
   */
  public Optional<Promotion> nextPromotion() {
    for (int rung = schedule.topRung() - 1; rung >= 0; rung--) {
      final RungState state = state(rung);
      if (state.cutoff() == null) {
        continue;
      }
      final OrderedStore.Entry best = store.first(keys.openStart(rung), keys.openEnd(rung));
      if (best != null && Arrays.compareUnsigned(keys.entryOf(best.key()), state.cutoff()) <= 0) {
        final double cutoffMetric = RungKeys.metricOf(store.get(keys.all(rung, state.cutoff())));
        return Optional.of(new Promotion(RungKeys.trialIdOf(keys.entryOf(best.key())), rung,
            RungKeys.metricOf(best.value()), state.results(), state.results() / eta, cutoffMetric));
      }
    }
    return Optional.empty();
  }

  /**
   * Marks p's trial as promoted out of p.fromRung(). Marking a trial a second time changes nothing.
   *
   * @throws IllegalArgumentException if the trial has no result in that rung
   */
  public void markPromoted(final Promotion p) {
    checkRung(p.fromRung());
    final byte[] entry = store.get(keys.trial(p.fromRung(), p.trialId()));
    if (entry == null) {
      throw new IllegalArgumentException(
          "trial " + p.trialId() + " has no result in rung " + p.fromRung() + " to be promoted from");
    }
    final byte[] openKey = keys.open(p.fromRung(), entry);
    if (store.get(openKey) != null) {
      store.delete(openKey);
      store.put(keys.meta(p.fromRung()), state(p.fromRung()).withPromotion().encode());
    }
  }

  /** trialId's result in rung, or empty if it has none there. */
  public OptionalDouble metric(final int rung, final String trialId) {
    checkRung(rung);
    final byte[] entry = store.get(keys.trial(rung, trialId));
    return entry == null ? OptionalDouble.empty() : OptionalDouble.of(RungKeys.metricOf(store.get(keys.all(rung, entry))));
  }

  public long results(final int rung) {
    return state(rung).results();
  }

  public long promoted(final int rung) {
    return state(rung).promoted();
  }

  /** True if a is strictly better than b under the direction; NaN and infinite results rank last. */
  public boolean better(final double a, final double b) {
    return Arrays.compareUnsigned(RungKeys.score(a, direction), RungKeys.score(b, direction)) < 0;
  }

  /**
   * The cut-off after {@code added} joined the rung: the {@code floor(n / eta)}-th best entry. It
   * moves at most one position, found with a single seek.
   */
  private byte[] movedCutoff(final int rung, final RungState before, final byte[] added) {
    final long n = before.results() + 1;
    final boolean grew = n / eta > before.results() / eta;
    final byte[] cutoff = before.cutoff();
    if (cutoff == null) {
      return grew ? entryOf(store.first(keys.allStart(rung), keys.allEnd(rung))) : null;
    }
    final boolean addedBefore = Arrays.compareUnsigned(added, cutoff) < 0;
    if (addedBefore && !grew) {
      return entryOf(store.last(keys.allStart(rung), keys.all(rung, cutoff)));
    }
    if (!addedBefore && grew) {
      return entryOf(store.first(RungKeys.after(keys.all(rung, cutoff)), keys.allEnd(rung)));
    }
    return cutoff;
  }

  private byte[] entryOf(final OrderedStore.Entry indexEntry) {
    return keys.entryOf(indexEntry.key());
  }

  private long nextArrival() {
    final byte[] counterKey = keys.counter();
    final long arrival = RungKeys.longOf(store.get(counterKey));
    store.put(counterKey, RungKeys.longValue(arrival + 1));
    return arrival;
  }

  private RungState state(final int rung) {
    return RungState.decode(store.get(keys.meta(rung)));
  }

  private void checkRung(final int rung) {
    if (rung < 0 || rung > schedule.topRung()) {
      throw new IllegalArgumentException("rung " + rung + " is outside 0.." + schedule.topRung());
    }
  }
}
