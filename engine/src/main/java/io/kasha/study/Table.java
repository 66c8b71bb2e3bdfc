package io.kasha.study;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/** A study store read and written by key: in the scheduler a cached Kafka Streams key-value store. */
public interface Table<V> {

  /** The value under {@code key}, or null if there is none. */
  V get(String key);

  void put(String key, V value);

  void delete(String key);

  /** A table over any key-value store, given its three operations. */
  static <V> Table<V> of(final Function<String, V> get, final BiConsumer<String, V> put,
      final Consumer<String> delete) {
    return new Table<>() {
      @Override
      public V get(final String key) {
        return get.apply(key);
      }

      @Override
      public void put(final String key, final V value) {
        put.accept(key, value);
      }

      @Override
      public void delete(final String key) {
        delete.accept(key);
      }
    };
  }

  /** A table on the heap, for the simulator and tests. */
  static <V> Table<V> inMemory() {
    final Map<String, V> map = new HashMap<>();
    return of(map::get, map::put, map::remove);
  }
}
