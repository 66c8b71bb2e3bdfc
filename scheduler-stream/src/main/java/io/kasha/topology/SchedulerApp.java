package io.kasha.topology;

import io.kasha.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * The scheduler as a running Kafka Streams application: exactly-once processing, RocksDB state under
 * {@code stateDir}, and undecodable input records logged and skipped rather than stopping the stream.
 */
public final class SchedulerApp implements AutoCloseable {

  public static final String DEFAULT_APPLICATION_ID = "kasha-scheduler";

  private final KafkaStreams streams;

  public SchedulerApp(final Topics topics, final Properties config) {
    this.streams = new KafkaStreams(SchedulerTopology.build(topics), config);
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
   * Stops processing, commits, and leaves the consumer group so that another instance takes over
   * the studies at once rather than after the session timeout.
   */
  @Override
  public void close() {
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}
