package io.kasha.topology;

import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.Topics;
import io.kasha.spec.Limits;
import io.kasha.study.StudyState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The scheduler as a running Kafka Streams application: exactly-once processing, RocksDB state under
 * {@code stateDir}, and undecodable input records logged and skipped rather than stopping the stream.
 */
public final class SchedulerApp implements AutoCloseable {

  public static final String DEFAULT_APPLICATION_ID = "kasha-scheduler";

  private final KafkaStreams streams;
  private KafkaStreamsMetrics boundMetrics;

  /**
   * A scheduler over existing topics (see {@link TopicSetup#ensure}): reads the studies topic's
   * partition count, which the scheduler's partitioning check needs, from the cluster.
   */
  public SchedulerApp(final Topics topics, final Properties config) {
    this(topics, config, Limits.DEFAULTS);
  }

  /** As {@link #SchedulerApp(Topics, Properties)}, with the limits on what one study may ask. */
  public SchedulerApp(final Topics topics, final Properties config, final Limits limits) {
    this(topics, config, limits, SchedulerMetrics.none());
  }

  /** As {@link #SchedulerApp(Topics, Properties, Limits)}, its decisions counted in {@code metrics}. */
  public SchedulerApp(final Topics topics, final Properties config, final Limits limits,
      final SchedulerMetrics metrics) {
    this.streams = new KafkaStreams(SchedulerTopology.build(topics, partitions(topics, config), limits,
        SchedulerTopology.DEFAULT_PUNCTUATE_INTERVAL, metrics), config);
    streams.setUncaughtExceptionHandler(new ThreadFailures());
  }

  /**
   * Runs {@code action} once if the Streams client stops of itself (it reached ERROR: a stream thread
   * failed again and again, see {@link ThreadFailures}), so that the command can exit and its
   * supervisor restart it. Call before {@link #start}.
   */
  public void onFailure(final Runnable action) {
    streams.setStateListener((newState, oldState) -> {
      if (newState == KafkaStreams.State.ERROR) {
        action.run();
      }
    });
  }

  private static int partitions(final Topics topics, final Properties config) {
    final Map<String, Object> admin = new StreamsConfig(config).getAdminConfigs("kasha-scheduler-setup");
    try (Admin client = Admin.create(admin)) {
      return client.describeTopics(List.of(topics.studies().name())).allTopicNames().get(1, TimeUnit.MINUTES)
          .get(topics.studies().name()).partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topics.studies().name(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe topic " + topics.studies().name() + ": "
          + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    }
  }

  /**
   * Streams settings for the scheduler. {@code overrides} come last, so a user may change any of
   * them (for example {@code replication.factor} on a larger cluster).
   */
  public static Properties config(
      final String bootstrapServers, final String applicationId, final Path stateDir, final Map<String, ?> overrides) {
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.putAll(overrides);
    return props;
  }

  public void start() {
    streams.start();
  }

  /** The Kafka Streams application's metrics, its clients' included. */
  public Map<MetricName, ? extends Metric> metrics() {
    return streams.metrics();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Binds the metrics of Kafka Streams and of its clients (consumers, producers, admin) to {@code
   * registry}, with Micrometer's binder, until {@link #close}. Once.
   */
  public synchronized void bindTo(final MeterRegistry registry) {
    if (boundMetrics != null) {
      throw new IllegalStateException("the scheduler's metrics are bound already");
    }
    boundMetrics = new KafkaStreamsMetrics(streams);
    boundMetrics.bindTo(registry);
  }

  /**
   * The studies of this instance's active tasks by status name (see {@link StudyState#statusName}), read
   * from the studies store with an interactive query: one pass over the studies, none over their trials.
   * Call it off the stream threads.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store cannot be read
   *     (the application is not running, or is rebalancing)
   */
  public Map<String, Long> studiesByStatus() {
    final ReadOnlyKeyValueStore<String, StudyState> store = streams.store(StoreQueryParameters.fromNameAndType(
        SchedulerTopology.STUDIES_STORE, QueryableStoreTypes.<String, StudyState>keyValueStore()));
    final Map<String, Long> counts = new HashMap<>();
    try (KeyValueIterator<String, StudyState> all = store.all()) {
      while (all.hasNext()) {
        final KeyValue<String, StudyState> study = all.next();
        counts.merge(study.value.statusName(), 1L, Long::sum);
      }
    }
    return counts;
  }

  /**
   * Stops processing, commits, and leaves the consumer group so that another instance takes over
   * the studies at once rather than after the session timeout.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (boundMetrics != null) {
        boundMetrics.close();
      }
    }
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}
