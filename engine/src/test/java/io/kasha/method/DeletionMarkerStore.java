package io.kasha.method;

import io.kasha.store.OrderedStore;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link OrderedStore} that keeps a marker for every deleted key, as a log-structured store such as
 * RocksDB does until a compaction drops it, and counts the markers its seeks step over. Like the
 * Kafka Streams RocksDB store (no iterator bounds), a seek steps over markers until it reaches a live
 * key, even past the end of the range it was asked for.
 */
final class DeletionMarkerStore implements OrderedStore {

  private static final byte[] MARKER = new byte[0];

  private final TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
  long markersSteppedOver;

  @Override
  public byte[] get(final byte[] key) {
    final byte[] value = entries.get(key);
    return value == MARKER ? null : value;
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    entries.put(key.clone(), value.clone());
  }

  @Override
  public void delete(final byte[] key) {
    if (entries.containsKey(key)) {
      entries.put(key.clone(), MARKER);
    }
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    for (final Map.Entry<byte[], byte[]> entry : entries.tailMap(fromInclusive, true).entrySet()) {
      if (entry.getValue() != MARKER) {
        return Arrays.compareUnsigned(entry.getKey(), toExclusive) < 0 ? copy(entry) : null;
      }
      markersSteppedOver++;
    }
    return null;
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    for (final Map.Entry<byte[], byte[]> entry : entries.headMap(toExclusive, false).descendingMap().entrySet()) {
      if (entry.getValue() != MARKER) {
        return Arrays.compareUnsigned(entry.getKey(), fromInclusive) >= 0 ? copy(entry) : null;
      }
      markersSteppedOver++;
    }
    return null;
  }

  private static Entry copy(final Map.Entry<byte[], byte[]> entry) {
    return new Entry(entry.getKey().clone(), entry.getValue().clone());
  }
}
