package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;

/** An in-memory store that counts every call, for tests of how many operations a decision costs. */
final class CountingStore implements OrderedStore {
  private final InMemoryOrderedStore delegate = new InMemoryOrderedStore();
  long operations;

  @Override
  public byte[] get(final byte[] key) {
    operations++;
    return delegate.get(key);
  }

  @Override
  public void put(final byte[] key, final byte[] value) {
    operations++;
    delegate.put(key, value);
  }

  @Override
  public void delete(final byte[] key) {
    operations++;
    delegate.delete(key);
  }

  @Override
  public Entry first(final byte[] fromInclusive, final byte[] toExclusive) {
    operations++;
    return delegate.first(fromInclusive, toExclusive);
  }

  @Override
  public Entry last(final byte[] fromInclusive, final byte[] toExclusive) {
    operations++;
    return delegate.last(fromInclusive, toExclusive);
  }
}
