package io.kasha.study;

/** A study store read and written by key: in the scheduler a cached Kafka Streams key-value store. */
public interface Table<V> {

  /** The value under {@code key}, or null if there is none. */
  V get(String key);

  void put(String key, V value);

  void delete(String key);

  /** A table on the heap, for the simulator and tests. */
  static <V> Table<V> inMemory() {
    final java.util.Map<String, V> map = new java.util.HashMap<>();
    return new Table<>() {
      @Override
      public V get(final String key) {
        return map.get(key);
      }

      @Override
      public void put(final String key, final V value) {
        map.put(key, value);
      }

      @Override
      public void delete(final String key) {
        map.remove(key);
      }
    };
  }
}
