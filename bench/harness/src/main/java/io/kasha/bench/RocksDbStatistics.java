package io.kasha.bench;

import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;
import org.rocksdb.Statistics;
import org.rocksdb.StatsLevel;

/**
 * A {@link RocksDBConfigSetter} that turns on RocksDB's statistics (counters and coarse timers) and
 * hands them to the consumer found under {@link #SINK_CONFIG} in the Streams config, so that the
 * benchmark can count what the store does: seeks, point reads, and the internal keys (deleted or
 * overwritten versions) an iterator steps over.
 */
public final class RocksDbStatistics implements RocksDBConfigSetter {

  /** Streams config key whose value is a {@code Consumer<Statistics>}. */
  public static final String SINK_CONFIG = "kasha.bench.rocksdb.statistics.sink";

  private Statistics statistics;

  /** The Streams settings that give {@code sink} the statistics of every store opened with them. */
  static Map<String, Object> config(final Consumer<Statistics> sink) {
    return Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbStatistics.class, SINK_CONFIG, sink);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
    statistics = new Statistics();
    statistics.setStatsLevel(StatsLevel.EXCEPT_DETAILED_TIMERS);
    options.setStatistics(statistics);
    ((Consumer<Statistics>) configs.get(SINK_CONFIG)).accept(statistics);
  }

  @Override
  public void close(final String storeName, final Options options) {
    statistics.close();
  }
}
