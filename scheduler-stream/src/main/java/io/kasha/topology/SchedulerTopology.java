package io.kasha.topology;

import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.Topics;
import io.kasha.spec.Limits;
import io.kasha.study.StudyState;
import io.kasha.study.TrialState;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler's one sub-topology: study commands and trial reports (co-partitioned by study id)
 * flow into {@link StudyProcessor}, which writes trial jobs and study events (and forwards a record that
 * arrived on the wrong partition back to its own topic, see {@link Routing}). Its state lives in
 * persistent RocksDB stores with changelog topics, so a restarted or moved task resumes every study.
 *
 * <p>The stores read by key are cached: a study's state is rewritten on every report and a trial's
 * several times per job, and the cache turns the writes to one key between two commits into one
 * RocksDB write and one changelog record at the commit, and serves the reads of hot keys without
 * RocksDB. The stores read by range (rungs, deadlines) are not: a range over a Kafka Streams cache
 * copies every cached key in the range, which would make a decision cost O(rung size), not O(log n).
 */
public final class SchedulerTopology {

  public static final String SPECS_STORE = "kasha-study-specs";
  public static final String STUDIES_STORE = "kasha-studies";
  public static final String TRIALS_STORE = "kasha-trials";
  public static final String RUNGS_STORE = "kasha-rungs";
  public static final String DEADLINES_STORE = "kasha-deadlines";

  static final String STUDIES_SOURCE = "studies-source";
  static final String REPORTS_SOURCE = "trial-reports-source";
  static final String PROCESSOR = "study-processor";
  static final String JOBS_SINK = "trial-jobs-sink";
  static final String EVENTS_SINK = "study-events-sink";
  static final String STATUS_SINK = "study-status-sink";
  static final String STUDIES_ROUTE_SINK = "studies-route-sink";
  static final String REPORTS_ROUTE_SINK = "trial-reports-route-sink";

  /**
   * How often leases and time budgets are checked against the wall clock, and work put off by a
   * record's batch limit goes on (a seek in the deadlines store when nothing is due).
   */
  public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofMillis(100);

  private SchedulerTopology() {}

  /** The topology for input topics of {@code partitions} partitions (see {@link Routing}), with default limits. */
  public static Topology build(final Topics topics, final int partitions) {
    return build(topics, partitions, Limits.DEFAULTS, DEFAULT_PUNCTUATE_INTERVAL);
  }

  /**
   * @param topics the topic names
   * @param partitions the partition count of the studies and trial-reports topics
   * @param limits what one study may ask of the scheduler
   * @param punctuateInterval how often the engine is given the time
   */
  public static Topology build(final Topics topics, final int partitions, final Limits limits,
      final Duration punctuateInterval) {
    return build(topics, partitions, limits, punctuateInterval, SchedulerMetrics.none());
  }

  /**
   * As {@link #build(Topics, int, Limits, Duration)}, counting what the processors do in {@code metrics}
   * (shared by every task of the application).
   */
  public static Topology build(final Topics topics, final int partitions, final Limits limits,
      final Duration punctuateInterval, final SchedulerMetrics metrics) {
    final Topology topology = new Topology();
    topology.addSource(STUDIES_SOURCE, topics.studies().keySerde().deserializer(),
        topics.studies().valueSerde().deserializer(), topics.studies().name());
    topology.addSource(REPORTS_SOURCE, topics.trialReports().keySerde().deserializer(),
        topics.trialReports().valueSerde().deserializer(), topics.trialReports().name());
    topology.addProcessor(PROCESSOR, () -> new StudyProcessor(punctuateInterval, partitions, limits, metrics),
        STUDIES_SOURCE, REPORTS_SOURCE);
    topology.addStateStore(store(SPECS_STORE, topics.studies().valueSerde()), PROCESSOR);
    topology.addStateStore(store(STUDIES_STORE, new JsonSerde<>(StudyState.class)), PROCESSOR);
    topology.addStateStore(store(TRIALS_STORE, new JsonSerde<>(TrialState.class)), PROCESSOR);
    topology.addStateStore(bytesStore(RUNGS_STORE), PROCESSOR);
    topology.addStateStore(bytesStore(DEADLINES_STORE), PROCESSOR);
    topology.addSink(JOBS_SINK, topics.trialJobs().name(), topics.trialJobs().keySerde().serializer(),
        topics.trialJobs().valueSerde().serializer(), PROCESSOR);
    topology.addSink(EVENTS_SINK, topics.studyEvents().name(), topics.studyEvents().keySerde().serializer(),
        topics.studyEvents().valueSerde().serializer(), PROCESSOR);
    topology.addSink(STATUS_SINK, topics.studyStatus().name(), topics.studyStatus().keySerde().serializer(),
        topics.studyStatus().valueSerde().serializer(), PROCESSOR);
    // records that arrived on another partition than their study id maps to go back to their own topic
    topology.addSink(STUDIES_ROUTE_SINK, topics.studies().name(), topics.studies().keySerde().serializer(),
        topics.studies().valueSerde().serializer(), Routing.partitioner(), PROCESSOR);
    topology.addSink(REPORTS_ROUTE_SINK, topics.trialReports().name(), topics.trialReports().keySerde().serializer(),
        topics.trialReports().valueSerde().serializer(), Routing.partitioner(), PROCESSOR);
    return topology;
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(
      final String name, final org.apache.kafka.common.serialization.Serde<V> valueSerde) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde)
        .withCachingEnabled();
  }

  private static StoreBuilder<KeyValueStore<Bytes, byte[]>> bytesStore(final String name) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
  }

}
