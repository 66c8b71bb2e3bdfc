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
 * Synchronous successive halving over a cycle of {@link Bracket}s, run one after another, with every
 * piece of state in an {@link OrderedStore} so that a rule built again over the same store continues
 * where it was. Within a bracket, rung k+1 starts only when every trial of rung k has a result or has
 * failed; then the best {@code n_{k+1}} of rung k (the bracket table's count, {@code floor(n_k / eta)})
 * are promoted, best first, ties to the earlier result, NaN after every number and a failed trial
 * after everything (it is never promoted). A bracket ends at its last rung, or earlier when no trial
 * of a rung may go on; the next bracket of the cycle then starts, and after the last the cycle starts
 * again. A bracket starts only if all its configurations fit in the trial limit, else nothing more
 * starts. Synchronous SHA is a cycle of one bracket of {@code trialLimit} configurations; Hyperband
 * the brackets s = s_max..0 of one iteration (Li et al., JMLR 2018).
 *
 * <p>Layout, under {@code study 00 'y'}: {@code 's'} the position; {@code 't' trialId} the trial's
 * bracket; {@code 'r' bracketSeq rung score arrival trialId} its result, ordered best first.
 */
public final class SynchronousBrackets {

  private static final byte POSITION = 's';
  private static final byte TRIAL = 't';
  private static final byte RESULT = 'r';
  private static final byte FAILED_SCORE = 3;

  private final OrderedStore store;
  private final List<Bracket> cycle;
  private final Direction direction;
  private final long trialLimit;
  /** Trials left behind for good by the calls since {@link #takePassedOver}; kept on the heap only meanwhile. */
  private final List<String> passedOver = new ArrayList<>();

  /**
   * @param cycle the brackets in the order they run, each over the rungs its trials train to
   * @param trialLimit the most trials the study may create
   */
  public SynchronousBrackets(final OrderedStore store, final String studyId, final List<Bracket> cycle,
      final Direction direction, final long trialLimit) {
    if (cycle.isEmpty()) {
      throw new IllegalArgumentException("a cycle needs at least one bracket");
    }
    this.store = new NamespacedStore(store, studyId, Keyspace.SYNCHRONOUS);
    this.cycle = List.copyOf(cycle);
    this.direction = direction;
    this.trialLimit = trialLimit;
  }

  /** A promotion of the running bracket: {@code trialId} goes on from {@code fromRung} to the next rung. */
  public record Advance(String trialId, int fromRung, double metric, long promoted, long rungSize,
      long rungResults, byte[] key) {

    public int toRung() {
      return fromRung + 1;
    }

    /** For example "number 2 of the best 9 of rung 0's 27 results (0.21); rung 0 is complete". */
    public String reason() {
      return "number " + (promoted + 1) + " of the best " + rungSize + " of rung " + fromRung + "'s " + rungResults
          + " results (" + metric + "); rung " + fromRung + " is complete";
    }
  }

  /** True if the running bracket's first rung still waits for new trials. */
  public boolean admitsTrial() {
    final Position p = position();
    return !p.ended && p.rung == 0 && p.started < p.expected;
  }

  /** Puts a new trial in the running bracket's first rung; only while {@link #admitsTrial}. */
  public void assign(final String trialId) {
    final Position p = position();
    if (!admitsTrial()) {
      throw new IllegalStateException("bracket " + p.bracketSeq + " takes no new trial");
    }
    store.put(trialKey(trialId), ByteBuffer.allocate(Long.BYTES).putLong(p.bracketSeq).array());
    p.started++;
    p.admitted++;
    save(p);
  }

  /** The bracket the trial belongs to, if it has one. */
  public Optional<Bracket> bracketOf(final String trialId) {
    final byte[] value = store.get(trialKey(trialId));
    return value == null ? Optional.empty() : Optional.of(bracket(ByteBuffer.wrap(value).getLong()));
  }

  /** The rungs of the trial's bracket. */
  public RungSchedule schedule(final String trialId) {
    return new RungSchedule(bracketOf(trialId).orElseThrow(
        () -> new IllegalStateException("trial " + trialId + " has no bracket")).resources());
  }

  /**
   * Records the trial's result at a rung of its bracket.
   *
   * @return how many results the rung holds now, this one included
   */
  public long record(final String trialId, final int rung, final double metric) {
    return add(trialId, rung, RungKeys.score(direction.loss(metric)), metric);
  }

  /**
   * Records that the trial failed at a rung of its bracket: it ranks after every result. A trial
   * not running in the current rung changes nothing.
   */
  public void fail(final String trialId, final int rung) {
    final Position p = position();
    final byte[] bracket = store.get(trialKey(trialId));
    if (p.ended || bracket == null || ByteBuffer.wrap(bracket).getLong() != p.bracketSeq || rung != p.rung) {
      return;
    }
    add(trialId, rung, ByteBuffer.allocate(9).put(FAILED_SCORE).array(), Double.NaN);
  }

  /** The size of the running bracket's current rung, for a result's note. */
  public long rungSize() {
    return position().expected;
  }

  /** The best not-yet-promoted trial of a complete rung of the running bracket, or empty; a pure read. */
  public Optional<Advance> nextPromotion() {
    final Position p = position();
    if (p.ended || p.rung == 0 || p.started >= p.expected) {
      return Optional.empty();
    }
    final OrderedStore.Entry entry = store.first(p.cursor, resultStart(p.bracketSeq, p.rung));
    if (entry == null) {
      return Optional.empty();
    }
    final byte[] key = entry.key();
    final String trialId = trialIdOf(key);
    return Optional.of(new Advance(trialId, p.rung - 1, RungKeys.metricOf(entry.value()), p.started, p.expected,
        p.previousResults, key));
  }

  /**
   * Acts on a promotion returned by {@link #nextPromotion}. The last promotion out of a rung leaves
   * the rung's other trials behind for good (see {@link #takePassedOver}).
   */
  public void markPromoted(final Advance promotion) {
    final Position p = position();
    p.cursor = RungKeys.after(promotion.key());
    p.started++;
    save(p);
    if (p.started == p.expected) {
      collectPassedOver(p.cursor, p.bracketSeq, p.rung - 1);
    }
  }

  /**
   * The trials with a result that the brackets will never continue, found since the last call: the
   * rest of a rung once its last promotion started, every trial of a rung that ends its bracket below
   * the bracket's top rung. Failed trials are not among them. A trial is returned once.
   */
  public List<String> takePassedOver() {
    final List<String> taken = List.copyOf(passedOver);
    passedOver.clear();
    return taken;
  }

  /** Adds the trials of the rung's results from {@code from} on, failed ones excepted. */
  private void collectPassedOver(final byte[] from, final long bracketSeq, final int rung) {
    final byte[] end = resultStart(bracketSeq, rung + 1);
    for (OrderedStore.Entry entry = store.first(from, end); entry != null;
         entry = store.first(RungKeys.after(entry.key()), end)) {
      final byte[] key = entry.key();
      if (key[1 + Long.BYTES + Integer.BYTES] != FAILED_SCORE) {
        passedOver.add(trialIdOf(key));
      }
    }
  }

  private static String trialIdOf(final byte[] resultKey) {
    final int offset = 1 + Long.BYTES + Integer.BYTES + 9 + Long.BYTES;
    return new String(resultKey, offset, resultKey.length - offset, StandardCharsets.UTF_8);
  }

  private long add(final String trialId, final int rung, final byte[] score, final double metric) {
    final Position p = position();
    final byte[] bracket = store.get(trialKey(trialId));
    if (p.ended || bracket == null || ByteBuffer.wrap(bracket).getLong() != p.bracketSeq || rung != p.rung) {
      throw new IllegalStateException("trial " + trialId + " is not in rung " + p.rung + " of the running bracket "
          + p.bracketSeq);
    }
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    final byte[] key = ByteBuffer.allocate(resultStart(p.bracketSeq, rung).length + score.length + Long.BYTES
        + id.length).put(resultStart(p.bracketSeq, rung)).put(score).putLong(p.arrival++).put(id).array();
    store.put(key, RungKeys.metricValue(metric));
    p.results++;
    if (score[0] == FAILED_SCORE) {
      p.failed++;
    }
    final long results = p.results;
    if (p.results == p.expected) {
      completeRung(p);
    }
    save(p);
    return results;
  }

  /** Every trial of the rung is done: the next rung waits for its promotions, or the bracket ends. */
  private void completeRung(final Position p) {
    final Bracket bracket = bracket(p.bracketSeq);
    final long next = p.rung == bracket.s() ? 0
        : Math.min(bracket.configurations().get(p.rung + 1), p.results - p.failed);
    if (next > 0) {
      p.previousResults = p.results;
      p.rung++;
      p.expected = next;
      p.started = 0;
      p.results = 0;
      p.failed = 0;
      p.cursor = resultStart(p.bracketSeq, p.rung - 1);
      return;
    }
    if (p.rung < bracket.s()) {
      collectPassedOver(resultStart(p.bracketSeq, p.rung), p.bracketSeq, p.rung);
    }
    p.bracketSeq++;
    startBracket(p);
  }

  private void startBracket(final Position p) {
    final long n = bracket(p.bracketSeq).n();
    p.ended = p.admitted + n > trialLimit || n == 0;
    p.rung = 0;
    p.expected = n;
    p.started = 0;
    p.results = 0;
    p.failed = 0;
    p.previousResults = 0;
    p.cursor = new byte[0];
  }

  private Bracket bracket(final long bracketSeq) {
    return cycle.get((int) (bracketSeq % cycle.size()));
  }

  private static byte[] trialKey(final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(TRIAL).put(id).array();
  }

  private static byte[] resultStart(final long bracketSeq, final int rung) {
    return ByteBuffer.allocate(1 + Long.BYTES + Integer.BYTES).put(RESULT).putLong(bracketSeq).putInt(rung).array();
  }

  private Position position() {
    final byte[] value = store.get(new byte[] {POSITION});
    if (value == null) {
      final Position p = new Position();
      startBracket(p);
      return p;
    }
    final ByteBuffer in = ByteBuffer.wrap(value);
    final Position p = new Position();
    p.bracketSeq = in.getLong();
    p.rung = in.getInt();
    p.expected = in.getLong();
    p.started = in.getLong();
    p.results = in.getLong();
    p.failed = in.getLong();
    p.previousResults = in.getLong();
    p.arrival = in.getLong();
    p.admitted = in.getLong();
    p.ended = in.get() == 1;
    p.cursor = new byte[in.remaining()];
    in.get(p.cursor);
    return p;
  }

  private void save(final Position p) {
    store.put(new byte[] {POSITION}, ByteBuffer.allocate(Integer.BYTES + 8 * Long.BYTES + 1 + p.cursor.length)
        .putLong(p.bracketSeq).putInt(p.rung).putLong(p.expected).putLong(p.started).putLong(p.results)
        .putLong(p.failed).putLong(p.previousResults).putLong(p.arrival).putLong(p.admitted)
        .put((byte) (p.ended ? 1 : 0)).put(p.cursor).array());
  }

  /** Where the cycle stands: the running bracket and rung, and how far that rung has got. */
  private static final class Position {
    long bracketSeq;
    int rung;
    /** Trials the rung holds once every promotion (or, at rung 0, every new trial) has started. */
    long expected;
    /** Trials started in the rung so far. */
    long started;
    long results;
    long failed;
    /** Results of the rung below, for a promotion's reason. */
    long previousResults;
    long arrival;
    /** Trials created over every bracket so far. */
    long admitted;
    boolean ended;
    /** The smallest key of the rung below not yet looked at for promotion. */
    byte[] cursor;
  }
}
