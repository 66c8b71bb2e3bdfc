package io.kasha.cli.watch;

import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one study's audit log from the study-events topic, committed records only, in log order.
 * No consumer group: every reader sees the whole log.
 */
public final class EventLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final KafkaConsumer<String, StudyEvent> consumer;
  private final List<TopicPartition> partitions;

  public EventLog(final String bootstrapServers, final Topics topics) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kasha-events-reader");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        topics.studyEvents().valueSerde().deserializer());
    this.partitions = consumer.partitionsFor(topics.studyEvents().name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
    consumer.assign(partitions);
  }

  /** Starts at the beginning of the log, to replay studies. */
  public EventLog fromBeginning() {
    consumer.seekToBeginning(partitions);
    return this;
  }

  /** Starts at the end of the log, to follow a study submitted from now on. */
  public EventLog fromEnd() {
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return this;
  }

  /**
   * Hands {@code studyId}'s events to {@code handler} until it returns false, or, when {@code
   * follow} is false, until the end of the log as it was when the call started.
   */
  public void read(final String studyId, final boolean follow, final Predicate<StudyEvent> handler) {
    read(studyId, follow, handler, () -> true);
  }

  /** As {@link #read(String, boolean, Predicate)}, and also stops as soon as {@code keepGoing} says false. */
  public void read(final String studyId, final boolean follow, final Predicate<StudyEvent> handler,
      final BooleanSupplier keepGoing) {
    final Map<TopicPartition, Long> end = follow ? Map.of() : new HashMap<>(consumer.endOffsets(partitions));
    while ((follow || !reachedEnd(end)) && keepGoing.getAsBoolean()) {
      final Iterable<ConsumerRecord<String, StudyEvent>> records;
      try {
        records = consumer.poll(Duration.ofMillis(200));
      } catch (RecordDeserializationException e) {
        log.warn("Skipped an undecodable event at {} offset {}", e.topicPartition(), e.offset());
        consumer.seek(e.topicPartition(), e.offset() + 1);
        continue;
      }
      for (final ConsumerRecord<String, StudyEvent> record : records) {
        if (record.value() != null && studyId.equals(record.key()) && !handler.test(record.value())) {
          return;
        }
      }
    }
  }

  private boolean reachedEnd(final Map<TopicPartition, Long> end) {
    for (final TopicPartition partition : partitions) {
      if (consumer.position(partition) < end.getOrDefault(partition, 0L)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
