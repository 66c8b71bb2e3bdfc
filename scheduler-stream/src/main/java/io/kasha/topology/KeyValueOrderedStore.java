package io.kasha.topology;

import io.kasha.store.OrderedStore;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The policy's ordered store over a Kafka Streams key-value store. With the RocksDB supplier the
 * keys are ordered by RocksDB's bytewise comparator, which is the unsigned lexicographic order the
 * policy relies on; {@code range} and {@code reverseRange} are seeks, so each call costs O(log n).
 */
public final class KeyValueOrderedStore implements OrderedStore {

  private final KeyValueStore<Bytes, byte[]> store;

  public KeyValueOrderedStore(final KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  @Override
  public byte[] get(final byte[] key) {
    return store.get(Bytes.wrap(key));
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    store.put(Bytes.wrap(key), value);
  }

  @Override
  public void delete(final byte[] key) {
    store.delete(Bytes.wrap(key));
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(fromInclusive), Bytes.wrap(toExclusive))) {
      return firstBelow(it, toExclusive);
    }
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    try (KeyValueIterator<Bytes, byte[]> it =
             store.reverseRange(Bytes.wrap(fromInclusive), Bytes.wrap(toExclusive))) {
      return firstBelow(it, toExclusive);
    }
  }

  /** Kafka's ranges include their upper bound; the policy's exclude it. */
  private static Entry firstBelow(final KeyValueIterator<Bytes, byte[]> it, final byte[] toExclusive) {
    while (it.hasNext()) {
      final KeyValue<Bytes, byte[]> next = it.next();
      if (!Arrays.equals(next.key.get(), toExclusive)) {
        return new Entry(next.key.get(), next.value);
      }
    }
    return null;
  }
}
