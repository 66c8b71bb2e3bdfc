package io.kasha.method;

import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * not yet promoted; and it keeps the entry at the cut-off, the number of candidates (entries at or
 * before the cut-off that are not promoted yet) and the best candidate. A new result moves the
 * cut-off by at most one position, so at most one entry joins or leaves the candidates, found with a
 * single seek in the index of all results. A decision reads one value per rung and seeks nothing.
 *
 * <p>The index of unpromoted entries is only read by key, and sought only when the best candidate is
 * promoted while others are waiting (not while the scheduler fills its slots after each report, since
 * that leaves no candidate waiting). This matters in a log-structured store such as RocksDB: a deleted
 * key stays behind as a marker that every seek past it steps over until a compaction drops it, and
 * promotions delete the best entries of that index, so a seek from its start would step over every
 * promotion the rung ever made. So every call costs a few store operations per rung, whatever the
 * number of trials. Not thread-safe: one study's decisions are serial.
 */
public final class AshaPolicy {

  private final OrderedStore store;
  private final RungKeys keys;
  private final RungSchedule schedule;
  private final int eta;
  private final Direction direction;
  private final long minRungSize;
  private final TiePolicy ties;

  /**
   * All keys this instance writes start with studyId's UTF-8 bytes then a 0x00 byte, so many studies
   * share one store.
   *
   * @throws IllegalArgumentException if {@code eta < 2} or the study id contains a NUL character
   */
  public AshaPolicy(
      final OrderedStore store, final String studyId, final RungSchedule schedule, final int eta,
      final Direction direction) {
    this(store, studyId, schedule, eta, direction, 1, TiePolicy.EARLIER);
  }

  /**
   * As above, and a rung promotes nothing before it holds {@code minRungSize} results (the
   * {@code min_rung_size} knob): early promotions out of a sparse rung are the price of asynchrony,
   * and this bounds it. With 1, the default, a rung promotes as soon as {@code floor(n / eta) >= 1}.
   *
   * Equal results rank by {@code ties}: the earlier first (the default) or the later first.
   *
   * @throws IllegalArgumentException also if {@code minRungSize < 1}
   */
  public AshaPolicy(
      final OrderedStore store, final String studyId, final RungSchedule schedule, final int eta,
      final Direction direction, final long minRungSize, final TiePolicy ties) {
    if (minRungSize < 1) {
      throw new IllegalArgumentException("min_rung_size must be at least 1 (got " + minRungSize + ")");
    }
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
    this.minRungSize = minRungSize;
    this.ties = ties;
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
    final RungState before = state(rung);
    final long arrival = nextArrival();
    // Entries sort by (score, arrival, trial): counting arrivals down makes the later of two equal scores first.
    final byte[] entry = RungKeys.entry(RungKeys.score(direction.loss(metric)),
        ties == TiePolicy.LATER ? Long.MAX_VALUE - arrival : arrival, trialId);
    final byte[] value = RungKeys.metricValue(metric);
    store.put(trialKey, entry);
    store.put(keys.all(rung, entry), value);
    store.put(keys.open(rung, entry), value);
    store.put(keys.meta(rung), withResult(rung, before, entry).encode());
    return true;
  }

  /**
   * The next promotion, or empty if no rung has a candidate that is not promoted yet. A pure read:
   * call {@link #markPromoted} once the promotion is acted on.
   */
  public Optional<AshaPromotion> nextPromotion() {
    for (int rung = schedule.topRung() - 1; rung >= 0; rung--) {
      final RungState state = state(rung);
      if (state.candidates() > 0 && state.results() >= minRungSize) {
        final byte[] best = state.bestCandidate();
        return Optional.of(new AshaPromotion(RungKeys.trialIdOf(best), rung, metric(rung, best), state.results(),
            state.results() / eta, metric(rung, state.cutoff())));
      }
    }
    return Optional.empty();
  }

  /**
   * Marks p's trial as promoted out of p.fromRung(). Marking a trial a second time changes nothing.
   *
   * @throws IllegalArgumentException if the trial has no result in that rung
   */
  public void markPromoted(final AshaPromotion p) {
    checkRung(p.fromRung());
    final byte[] entry = store.get(keys.trial(p.fromRung(), p.trialId()));
    if (entry == null) {
      throw new IllegalArgumentException(
          "trial " + p.trialId() + " has no result in rung " + p.fromRung() + " to be promoted from");
    }
    final byte[] openKey = keys.open(p.fromRung(), entry);
    if (store.get(openKey) != null) {
      final RungState state = state(p.fromRung()).withPromotion();
      final boolean candidate = state.cutoff() != null && Arrays.compareUnsigned(entry, state.cutoff()) <= 0;
      store.delete(openKey);
      store.put(keys.meta(p.fromRung()),
          (candidate ? withoutCandidate(p.fromRung(), state, entry) : state).encode());
    }
  }

  /**
   * True if {@link #nextPromotion} could promote out of rung now: it has a candidate not promoted yet
   * and holds at least {@code min_rung_size} results.
   */
  public boolean promotable(final int rung) {
    checkRung(rung);
    final RungState state = state(rung);
    return state.candidates() > 0 && state.results() >= minRungSize;
  }

  /**
   * The trials with a result in rung that were not promoted out of it, best first. Walks the rung's
   * index of unpromoted entries: meant for a rung that is done with, once, not for every decision.
   */
  public List<String> unpromoted(final int rung) {
    checkRung(rung);
    final List<String> trialIds = new ArrayList<>();
    for (OrderedStore.Entry open = store.first(keys.openStart(rung), keys.openEnd(rung));
         open != null;
         open = store.first(RungKeys.after(open.key()), keys.openEnd(rung))) {
      trialIds.add(RungKeys.trialIdOf(entryOf(open)));
    }
    return trialIds;
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
    return direction.better(a, b);
  }

  /**
   * The rung's state after {@code added} joined it. The cut-off, the {@code floor(n / eta)}-th best
   * entry, moves at most one position, found with a single seek; the entry it passes joins or leaves
   * the candidates, and so does {@code added} if it sorts before the cut-off.
   */
  private RungState withResult(final int rung, final RungState before, final byte[] added) {
    final long n = before.results() + 1;
    final boolean grew = n / eta > before.results() / eta;
    final byte[] cutoff = before.cutoff();
    if (cutoff == null) {
      if (!grew) {
        return before.withResult(null);
      }
      final byte[] first = entryOf(store.first(keys.allStart(rung), keys.allEnd(rung)));
      return withCandidateIfOpen(rung, before.withResult(first), first, added);
    }
    final boolean addedBefore = Arrays.compareUnsigned(added, cutoff) < 0;
    if (addedBefore && !grew) {
      final byte[] previous = entryOf(store.last(keys.allStart(rung), keys.all(rung, cutoff)));
      final RungState moved = before.withResult(previous).withCandidate(added);
      final boolean cutoffWasCandidate = before.candidates() > 0 && isOpen(rung, cutoff);
      return cutoffWasCandidate ? withoutCandidate(rung, moved, cutoff) : moved;
    }
    if (addedBefore) {
      return before.withResult(cutoff).withCandidate(added);
    }
    if (grew) {
      final byte[] next = entryOf(store.first(RungKeys.after(keys.all(rung, cutoff)), keys.allEnd(rung)));
      return withCandidateIfOpen(rung, before.withResult(next), next, added);
    }
    return before.withResult(cutoff);
  }

  /** {@code entry}, now at or before the cut-off, is a candidate unless it was promoted already. */
  private RungState withCandidateIfOpen(
      final int rung, final RungState state, final byte[] entry, final byte[] added) {
    return Arrays.equals(entry, added) || isOpen(rung, entry) ? state.withCandidate(entry) : state;
  }

  /**
   * {@code entry} stops being a candidate. Only when it was the best of several does the next best
   * have to be found: the first unpromoted entry after it, which sorts before the cut-off.
   */
  private RungState withoutCandidate(final int rung, final RungState state, final byte[] entry) {
    final long left = state.candidates() - 1;
    if (left == 0) {
      return state.withCandidates(0, null);
    }
    if (!Arrays.equals(entry, state.bestCandidate())) {
      return state.withCandidates(left, state.bestCandidate());
    }
    final byte[] next = entryOf(store.first(RungKeys.after(keys.open(rung, entry)), keys.openEnd(rung)));
    return state.withCandidates(left, next);
  }

  private boolean isOpen(final int rung, final byte[] entry) {
    return store.get(keys.open(rung, entry)) != null;
  }

  private double metric(final int rung, final byte[] entry) {
    return RungKeys.metricOf(store.get(keys.all(rung, entry)));
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
    final RungState state = RungState.decode(store.get(keys.meta(rung)));
    return state.candidatesKnown() ? state : withCandidatesCounted(rung, state);
  }

  /**
   * A rung state stored by an earlier version, which did not keep the candidates: counts them by
   * walking the unpromoted entries up to the cut-off. The rung's next write stores them.
   */
  private RungState withCandidatesCounted(final int rung, final RungState state) {
    long count = 0;
    byte[] best = null;
    if (state.cutoff() != null) {
      for (OrderedStore.Entry open = store.first(keys.openStart(rung), keys.openEnd(rung));
           open != null && Arrays.compareUnsigned(entryOf(open), state.cutoff()) <= 0;
           open = store.first(RungKeys.after(open.key()), keys.openEnd(rung))) {
        count++;
        best = best == null ? entryOf(open) : best;
      }
    }
    return state.withCandidates(count, best);
  }

  private void checkRung(final int rung) {
    if (rung < 0 || rung > schedule.topRung()) {
      throw new IllegalArgumentException("rung " + rung + " is outside 0.." + schedule.topRung());
    }
  }
}
