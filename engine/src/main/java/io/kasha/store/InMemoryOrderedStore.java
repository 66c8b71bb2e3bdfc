package io.kasha.store;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An {@link OrderedStore} on the heap, for tests and simulations. Keys and values are copied in and out. */
public final class InMemoryOrderedStore implements OrderedStore {

  private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);

  @Override
  public byte[] get(final byte[] key) {
    return copy(entries.get(key));
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    entries.put(key.clone(), value.clone());
  }

  @Override
  public void delete(final byte[] key) {
    entries.remove(key);
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    return isEmptyRange(fromInclusive, toExclusive)
        ? null
        : entry(range(fromInclusive, toExclusive).firstEntry());
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    return isEmptyRange(fromInclusive, toExclusive)
        ? null
        : entry(range(fromInclusive, toExclusive).lastEntry());
  }

  /** Number of keys held. */
  public int size() {
    return entries.size();
  }

  private NavigableMap<byte[], byte[]> range(final byte[] fromInclusive, final byte[] toExclusive) {
    return entries.subMap(fromInclusive, true, toExclusive, false);
  }

  private static boolean isEmptyRange(final byte[] fromInclusive, final byte[] toExclusive) {
    return Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0;
  }

  private static Entry entry(final Map.Entry<byte[], byte[]> entry) {
    return entry == null ? null : new Entry(entry.getKey().clone(), entry.getValue().clone());
  }

  private static byte[] copy(final byte[] bytes) {
    return bytes == null ? null : bytes.clone();
  }
}
