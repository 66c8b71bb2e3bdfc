package io.kasha.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the deadlines store, ordered by time so that the punctuator reads only what is due:
 * 8-byte big-endian deadline, a kind byte ({@link #JOB_LEASE} or {@link #STUDY_BUDGET}), the id.
 */
final class Deadlines {

  static final byte JOB_LEASE = 'J';
  static final byte STUDY_BUDGET = 'S';

  private Deadlines() {}

  static Bytes key(final long deadlineMs, final byte kind, final String id) {
    final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(9 + idBytes.length)
        .putLong(deadlineMs).put(kind).put(idBytes).array());
  }

  static Bytes upTo(final long nowMs) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(nowMs + 1).array());
  }

  static Bytes start() {
    return Bytes.wrap(new byte[8]);
  }

  static long deadline(final Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }

  static byte kind(final Bytes key) {
    return key.get()[8];
  }

  static String id(final Bytes key) {
    final byte[] bytes = key.get();
    return new String(bytes, 9, bytes.length - 9, StandardCharsets.UTF_8);
  }
}
