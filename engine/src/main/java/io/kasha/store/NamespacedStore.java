package io.kasha.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A view of an {@link OrderedStore} in which every key is prefixed by {@code studyId 0x00 tag}, the tag
 * of one {@link Keyspace}, so that each part of a study's state keeps its keys apart from the others'
 * in one store. Keys handed out by {@link #first} and {@link #last} are stripped of the prefix again.
 */
public final class NamespacedStore implements OrderedStore {

  private final OrderedStore store;
  private final byte[] prefix;

  public NamespacedStore(final OrderedStore store, final String studyId, final Keyspace keyspace, final byte[] suffix) {
    if (studyId.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a study id must not contain a NUL character");
    }
    final byte[] id = studyId.getBytes(StandardCharsets.UTF_8);
    final byte[] bytes = Arrays.copyOf(id, id.length + 2 + suffix.length);
    bytes[id.length + 1] = (byte) keyspace.tag();
    System.arraycopy(suffix, 0, bytes, id.length + 2, suffix.length);
    this.store = store;
    this.prefix = bytes;
  }

  public NamespacedStore(final OrderedStore store, final String studyId, final Keyspace keyspace) {
    this(store, studyId, keyspace, new byte[0]);
  }

  @Override
  public byte[] get(final byte[] key) {
    return store.get(prefixed(key));
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    store.put(prefixed(key), value);
  }

  @Override
  public void delete(final byte[] key) {
    store.delete(prefixed(key));
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    return stripped(store.first(prefixed(fromInclusive), prefixed(toExclusive)));
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    return stripped(store.last(prefixed(fromInclusive), prefixed(toExclusive)));
  }

  private byte[] prefixed(final byte[] key) {
    final byte[] bytes = Arrays.copyOf(prefix, prefix.length + key.length);
    System.arraycopy(key, 0, bytes, prefix.length, key.length);
    return bytes;
  }

  private Entry stripped(final Entry entry) {
    return entry == null
        ? null
        : new Entry(Arrays.copyOfRange(entry.key(), prefix.length, entry.key().length), entry.value());
  }
}
