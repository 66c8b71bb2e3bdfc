package io.kasha.study;

import io.kasha.store.OrderedStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deadlines store: job leases, study time budgets and continuations of a study's put-off work
 * under keys ordered by time, so that the engine reads only what is due. A key is the 8-byte
 * big-endian deadline, a kind byte ({@link #JOB_LEASE}, {@link #STUDY_BUDGET} or {@link #CONTINUE})
 * and the trial or study id; the value is empty.
 */
final class Deadlines {

  static final byte JOB_LEASE = 'J';
  static final byte STUDY_BUDGET = 'S';
  /** A study has work left that a call's {@link Work} batch did not cover. */
  static final byte CONTINUE = 'C';
  private static final byte[] NONE = new byte[0];

  /** One due entry. */
  record Due(long deadlineMs, byte kind, String id) {}

  private final OrderedStore store;

  Deadlines(final OrderedStore store) {
    this.store = store;
  }

  void put(final long deadlineMs, final byte kind, final String id) {
    store.put(key(deadlineMs, kind, id), NONE);
  }

  void delete(final long deadlineMs, final byte kind, final String id) {
    store.delete(key(deadlineMs, kind, id));
  }

  /** True if an entry is due at {@code nowMs}. */
  boolean anyDue(final long nowMs) {
    return store.first(new byte[8], ByteBuffer.allocate(8).putLong(nowMs + 1).array()) != null;
  }

  /**
   * Removes and returns at most {@code max} of the entries due at {@code nowMs}, earliest first; the
   * others stay for a later call. Each seek starts just after the entry taken before, so it never steps
   * over the deletion markers of those already taken.
   */
  List<Due> takeDue(final long nowMs, final int max) {
    final byte[] upTo = ByteBuffer.allocate(8).putLong(nowMs + 1).array();
    final List<Due> due = new ArrayList<>();
    for (OrderedStore.Entry entry = store.first(new byte[8], upTo); entry != null && due.size() < max;
        entry = store.first(Arrays.copyOf(entry.key(), entry.key().length + 1), upTo)) {
      store.delete(entry.key());
      final ByteBuffer key = ByteBuffer.wrap(entry.key());
      final long deadline = key.getLong();
      final byte kind = key.get();
      due.add(new Due(deadline, kind, new String(entry.key(), 9, entry.key().length - 9, StandardCharsets.UTF_8)));
    }
    return due;
  }

  private static byte[] key(final long deadlineMs, final byte kind, final String id) {
    final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(9 + idBytes.length).putLong(deadlineMs).put(kind).put(idBytes).array();
  }
}
