package io.kasha.bench;

import io.kasha.store.OrderedStore;
import io.kasha.topology.KeyValueOrderedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A persistent (RocksDB) Kafka Streams key-value store run outside any topology, the way
 * kafka-streams-test-utils documents it: built with {@link Stores}, initialised with the state-store
 * context of a {@link MockProcessorContext}. It lives in a temporary directory that {@link #close}
 * deletes. Changelogging is off: the benchmark measures the store, not a broker.
 *
 * <p>The mock context records metrics at DEBUG level, which times every store call and turns on
 * RocksDB's statistics; the store is opened at the recording level of its Streams config instead, INFO
 * unless given, as the scheduler runs by default.
 */
final class ScratchRocksDbStore implements AutoCloseable {

  private final Path directory;
  private final KeyValueStore<Bytes, byte[]> store;

  private ScratchRocksDbStore(final Path directory, final KeyValueStore<Bytes, byte[]> store) {
    this.directory = directory;
    this.store = store;
  }

  /**
   * Opens an empty store named {@code name}.
   *
   * @param streamsConfig extra Kafka Streams settings the store reads at init, for example
   *     {@link StreamsConfig#ROCKSDB_CONFIG_SETTER_CLASS_CONFIG}
   */
  static ScratchRocksDbStore open(final String name, final Map<String, Object> streamsConfig) {
    final Path directory = createTempDirectory();
    final Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "kasha-bench");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, directory.toString());
    config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    config.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, Sensor.RecordingLevel.INFO.name());
    config.putAll(streamsConfig);
    final MockProcessorContext<Void, Void> context =
        new MockProcessorContext<>(config, new TaskId(0, 0), directory.toFile());
    final StateStoreContext storeContext = context.getStateStoreContext();
    ((StreamsMetricsImpl) storeContext.metrics()).metricsRegistry().config().recordLevel(
        Sensor.RecordingLevel.forName(config.get(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG).toString()));
    final KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingDisabled()
        .build();
    try {
      store.init(storeContext, store);
    } catch (final RuntimeException e) {
      deleteRecursively(directory);
      throw e;
    }
    return new ScratchRocksDbStore(directory, store);
  }

  /** The policy's view of this store. */
  OrderedStore orderedStore() {
    return new KeyValueOrderedStore(store);
  }

  /** The size of the store's files now. */
  long diskBytes() {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      deleteRecursively(directory);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("kasha-bench-");
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(final Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
