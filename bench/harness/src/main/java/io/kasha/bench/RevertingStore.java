package io.kasha.bench;

import io.kasha.store.OrderedStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link OrderedStore} that undoes the writes of one operation, so that a benchmark can repeat
 * the operation on a store that keeps its size. While measured, a write costs the delegate's write
 * plus one list append; {@link #revert} does the rest.
 *
 * <p>{@link #learn} runs the operation once with a journal of the values it overwrites. Every later
 * run must overwrite only keys that this first run overwrote too (and may create any new keys): the
 * ASHA policy's {@code record} of one trial into one rung does, as it creates its index entries and
 * rewrites the arrival counter and the rung's metadata.
 */
final class RevertingStore implements OrderedStore {

  private final OrderedStore delegate;
  private final Map<ByteBuffer, byte[]> overwritten = new HashMap<>();
  private final List<byte[]> written = new ArrayList<>();
  private boolean learning;

  RevertingStore(final OrderedStore delegate) {
    this.delegate = delegate;
  }

  /** Runs {@code operation} once, noting the values it overwrites, then reverts it. */
  void learn(final Runnable operation) {
    learning = true;
    try {
      operation.run();
    } finally {
      learning = false;
    }
    revert();
  }

  /** Restores the store to its state before the writes since the last revert. */
  void revert() {
    for (int i = written.size() - 1; i >= 0; i--) {
      final byte[] key = written.get(i);
      final byte[] previous = overwritten.get(ByteBuffer.wrap(key));
      if (previous == null) {
        delegate.delete(key);
      } else {
        delegate.put(key, previous);
      }
    }
    written.clear();
  }

  @Override
  public byte[] get(final byte[] key) {
    return delegate.get(key);
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    noteWrite(key);
    delegate.put(key, value);
  }

  @Override
  public void delete(final byte[] key) {
    noteWrite(key);
    delegate.delete(key);
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    return delegate.first(fromInclusive, toExclusive);
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    return delegate.last(fromInclusive, toExclusive);
  }

  private void noteWrite(final byte[] key) {
    if (learning) {
      final ByteBuffer wrapped = ByteBuffer.wrap(key.clone());
      final byte[] previous = delegate.get(key);
      if (previous != null) {
        overwritten.putIfAbsent(wrapped, previous);
      }
    }
    written.add(key);
  }
}
