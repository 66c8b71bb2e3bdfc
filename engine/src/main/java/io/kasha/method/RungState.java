package io.kasha.method;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the policy keeps per rung besides its indexes: the number of results, the number promoted,
 * the entry at the cut-off (the {@code floor(results / eta)}-th best, null while that is zero), and
 * the rung's candidates: how many entries at or before the cut-off are not promoted yet, and the best
 * of them (null when there is none).
 *
 * <p>Encoded as a format byte (1), results, promoted and candidates (8 bytes each), the cut-off's
 * length (4 bytes), the cut-off, then the best candidate. The earlier encoding (results, promoted,
 * cut-off) has no candidates; it starts with a 0x00 byte, as a count below 2^56 does, and decodes with
 * {@link #candidates} {@link #UNKNOWN}.
 */
record RungState(long results, long promoted, byte[] cutoff, long candidates, byte[] bestCandidate) {

  /** The candidates of a rung state written in the earlier encoding, which did not keep them. */
  static final long UNKNOWN = -1;

  static final RungState EMPTY = new RungState(0, 0, null, 0, null);

  private static final byte EARLIER_FORMAT = 0;
  private static final byte FORMAT = 1;

  static RungState decode(final byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes[0] == EARLIER_FORMAT) {
      final long results = buffer.getLong();
      final long promoted = buffer.getLong();
      return new RungState(results, promoted, rest(buffer), UNKNOWN, null);
    }
    if (buffer.get() != FORMAT) {
      throw new IllegalStateException("unknown rung state format " + bytes[0]);
    }
    final long results = buffer.getLong();
    final long promoted = buffer.getLong();
    final long candidates = buffer.getLong();
    final byte[] cutoff = new byte[buffer.getInt()];
    buffer.get(cutoff);
    return new RungState(results, promoted, orNull(cutoff), candidates, rest(buffer));
  }

  byte[] encode() {
    final byte[] cut = cutoff == null ? new byte[0] : cutoff;
    final byte[] best = bestCandidate == null ? new byte[0] : bestCandidate;
    return ByteBuffer.allocate(1 + 3 * Long.BYTES + Integer.BYTES + cut.length + best.length)
        .put(FORMAT).putLong(results).putLong(promoted).putLong(candidates)
        .putInt(cut.length).put(cut).put(best).array();
  }

  boolean candidatesKnown() {
    return candidates != UNKNOWN;
  }

  RungState withResult(final byte[] newCutoff) {
    return new RungState(results + 1, promoted, newCutoff, candidates, bestCandidate);
  }

  RungState withPromotion() {
    return new RungState(results, promoted + 1, cutoff, candidates, bestCandidate);
  }

  RungState withCandidates(final long count, final byte[] best) {
    return new RungState(results, promoted, cutoff, count, best);
  }

  /** {@code entry}, not promoted, joins the candidates. */
  RungState withCandidate(final byte[] entry) {
    final boolean best = bestCandidate == null || Arrays.compareUnsigned(entry, bestCandidate) < 0;
    return withCandidates(candidates + 1, best ? entry : bestCandidate);
  }

  private static byte[] rest(final ByteBuffer buffer) {
    final byte[] rest = new byte[buffer.remaining()];
    buffer.get(rest);
    return orNull(rest);
  }

  private static byte[] orNull(final byte[] entry) {
    return entry.length == 0 ? null : entry;
  }
}
