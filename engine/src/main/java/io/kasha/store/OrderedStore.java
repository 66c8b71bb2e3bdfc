package io.kasha.store;

/**
 * A byte-keyed ordered map, the only state the policy keeps. Keys compare as unsigned
 * lexicographic bytes: the order of RocksDB's default comparator and of Kafka's {@code Bytes}.
 *
 * <p>Implementations must make {@link #first} and {@link #last} seeks, so that each call costs
 * O(log n) however many keys the store holds.
 */
public interface OrderedStore {

  /** The value stored under {@code key}, or null if there is none. */
  byte[] get(byte[] key);

  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** The entry with the smallest key in {@code [fromInclusive, toExclusive)}, or null if there is none. */
  Entry first(byte[] fromInclusive, byte[] toExclusive);

  /** The entry with the largest key in {@code [fromInclusive, toExclusive)}, or null if there is none. */
  Entry last(byte[] fromInclusive, byte[] toExclusive);

  /** One key and its value. */
  record Entry(byte[] key, byte[] value) {}
}
