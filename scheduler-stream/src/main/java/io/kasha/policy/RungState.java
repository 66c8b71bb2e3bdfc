package io.kasha.policy;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the policy keeps per rung besides its indexes: the number of results, the number promoted,
 * and the entry at the cut-off (the {@code floor(results / eta)}-th best), null while that is zero.
 */
record RungState(long results, long promoted, byte[] cutoff) {

  static final RungState EMPTY = new RungState(0, 0, null);

  static RungState decode(final byte[] bytes) {
    if (bytes == null) {
      return EMPTY;
    }
    final ByteBuffer buffer = ByteBuffer.wrap(bytes);
    final long results = buffer.getLong();
    final long promoted = buffer.getLong();
    final byte[] cutoff = Arrays.copyOfRange(bytes, buffer.position(), bytes.length);
    return new RungState(results, promoted, cutoff.length == 0 ? null : cutoff);
  }

  byte[] encode() {
    final byte[] entry = cutoff == null ? new byte[0] : cutoff;
    return ByteBuffer.allocate(2 * Long.BYTES + entry.length)
        .putLong(results).putLong(promoted).put(entry).array();
  }

  RungState withResult(final byte[] newCutoff) {
    return new RungState(results + 1, promoted, newCutoff);
  }

  RungState withPromotion() {
    return new RungState(results, promoted + 1, cutoff);
  }
}
