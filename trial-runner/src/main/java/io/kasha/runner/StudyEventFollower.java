package io.kasha.runner;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topic;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the study topics a runner acts on, with a plain consumer of its own (no group, {@code
 * read_committed}): the compacted study-status topic from its beginning, so that every study that
 * ended before the runner started is known before its slots take a job, and the study-events topic
 * from its end. A study that completes (for any reason, stopped included) is ended in {@link
 * EndedStudies}, which cancels its running jobs and drops its queued ones; a checkpoints-released
 * event has its checkpoints deleted from the store, but the one it keeps. Every runner does both;
 * deletes are idempotent. Against a cluster without the status topic (a scheduler of an earlier
 * version), study ends come from the events topic, and studies that ended before are not known.
 *
 * <p>Lifecycle: {@link #run()} once on a thread of its own, until {@link #close()}; {@link
 * #awaitFollowing} returns once the status topic is read up to where it ended when the runner
 * started and the events topic's positions are fixed, so that no event published afterwards is
 * missed.
 */
final class StudyEventFollower implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StudyEventFollower.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final Map<String, Object> consumerProps;
  private final String topic;
  private final String statusTopic;
  /** Set before the latch opens once the consumer's positions are fixed and the status topic is read. */
  private volatile boolean assigned;
  private final Deserializer<StudyEvent> deserializer;
  private final EndedStudies ended;
  private final CheckpointStore checkpoints;
  private final CountDownLatch following = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile KafkaConsumer<String, byte[]> consumer;
  /** The status topic's end offsets when the runner started; empty once read up to them. */
  private Map<TopicPartition, Long> statusBacklog = Map.of();
  private int endedBefore;

  StudyEventFollower(
      final Map<String, Object> clientProps, final Topic<String, StudyEvent> events,
      final Topic<String, StudyEvent> status, final EndedStudies ended, final CheckpointStore checkpoints) {
    this.consumerProps = new HashMap<>(clientProps);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.topic = events.name();
    this.statusTopic = status.name();
    this.deserializer = events.valueSerde().deserializer();
    this.ended = ended;
    this.checkpoints = checkpoints;
  }

  /**
   * Waits until the follower reads from fixed positions with every earlier study end known, or its
   * first try failed (it goes on trying in the background); true only if it is following.
   */
  boolean awaitFollowing(final Duration timeout) throws InterruptedException {
    return following.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && assigned;
  }

  @Override
  public void run() {
    try (KafkaConsumer<String, byte[]> events =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = events;
      if (closed) {
        return;
      }
      while (!closed && !assign(events)) {
        following.countDown();
        Thread.sleep(RETRY.toMillis());
      }
      openIfCaughtUp(events);
      while (!closed) {
        for (final ConsumerRecord<String, byte[]> record : events.poll(POLL_TIMEOUT)) {
          decode(record).ifPresent(this::handle);
        }
        openIfCaughtUp(events);
      }
    } catch (WakeupException | InterruptException e) {
      // closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (KafkaException e) {
      LOG.error("stopped following {}: ended studies are no longer seen by this runner", topic, e);
    } finally {
      following.countDown();
    }
  }

  /**
   * Assigns every partition of the events topic at its end and of the status topic at its
   * beginning; false if the events topic cannot be seen yet.
   */
  private boolean assign(final KafkaConsumer<String, byte[]> events) {
    try {
      final List<TopicPartition> eventPartitions = partitions(events, topic);
      if (eventPartitions.isEmpty()) {
        LOG.warn("topic {} not found; retrying in {}", topic, RETRY);
        return false;
      }
      final List<TopicPartition> statusPartitions = partitions(events, statusTopic);
      final List<TopicPartition> all = new ArrayList<>(eventPartitions);
      all.addAll(statusPartitions);
      events.assign(all);
      events.seekToEnd(eventPartitions);
      events.seekToBeginning(statusPartitions);
      all.forEach(events::position);
      statusBacklog = new HashMap<>(events.endOffsets(statusPartitions));
      if (!statusPartitions.isEmpty()) {
        LOG.info("following {} ({} partitions) from its end and {} from its beginning", topic,
            eventPartitions.size(), statusTopic);
      } else {
        LOG.warn("following {} ({} partitions) from its end; topic {} not found, so studies that ended before "
            + "this runner started are not known to it", topic, eventPartitions.size(), statusTopic);
      }
      return true;
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("cannot follow {} yet ({}); retrying in {}", topic, e.toString(), RETRY);
      return false;
    }
  }

  private static List<TopicPartition> partitions(final KafkaConsumer<String, byte[]> consumer, final String name) {
    final List<PartitionInfo> partitions = consumer.partitionsFor(name);
    return partitions == null ? List.of()
        : partitions.stream().map(info -> new TopicPartition(name, info.partition())).toList();
  }

  /** Opens the latch once the status topic is read up to where it ended at assignment. */
  private void openIfCaughtUp(final KafkaConsumer<String, byte[]> events) {
    if (assigned) {
      return;
    }
    statusBacklog.entrySet().removeIf(end -> events.position(end.getKey()) >= end.getValue());
    if (statusBacklog.isEmpty()) {
      assigned = !closed;
      if (endedBefore > 0) {
        LOG.info("{} studies had ended before this runner started", endedBefore);
      }
      following.countDown();
    }
  }

  private Optional<StudyEvent> decode(final ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.ofNullable(record.value() == null ? null : deserializer.deserialize(topic, record.value()));
    } catch (SerializationException e) {
      LOG.warn("skipped an undecodable event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Acts on one event: ends its study, the first time either topic says so, or deletes the
   * checkpoints it releases.
   */
  void handle(final StudyEvent event) {
    switch (event.getType()) {
      case STUDY_COMPLETED -> {
        if (ended.hasEnded(event.getStudyId())) {
          return;
        }
        final int cancelled = ended.end(event.getStudyId());
        if (!assigned) {
          endedBefore++;
          return;
        }
        LOG.info("study {} ended ({}){}", event.getStudyId(), event.getStatus(),
            cancelled == 0 ? "" : "; cancelled its " + cancelled + " running job(s)");
      }
      case CHECKPOINTS_RELEASED -> release(event);
      default -> { }
    }
  }

  private void release(final StudyEvent event) {
    final Optional<URI> keep;
    try {
      keep = keptCheckpoint(event);
    } catch (URISyntaxException e) {
      LOG.warn("study {}: kept checkpoint '{}' is not a URI; deleted nothing", event.getStudyId(),
          event.getKeptCheckpoint());
      return;
    }
    int deleted = 0;
    for (final String name : event.getReleasedCheckpoints()) {
      try {
        deleted += checkpoints.release(event.getStudyId(), name, keep);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot delete the checkpoints of {} in study {}: {}", name, event.getStudyId(), e.toString());
      }
    }
    LOG.info("study {}: deleted {} checkpoint(s) of {} released name(s){}", event.getStudyId(), deleted,
        event.getReleasedCheckpoints().size(), keep.map(uri -> ", kept " + uri).orElse(""));
  }

  private static Optional<URI> keptCheckpoint(final StudyEvent event) throws URISyntaxException {
    return event.getKeptCheckpoint() == null ? Optional.empty() : Optional.of(new URI(event.getKeptCheckpoint()));
  }

  /** Ends {@link #run()}; returns at once. Idempotent. */
  @Override
  public void close() {
    closed = true;
    final KafkaConsumer<String, byte[]> events = consumer;
    if (events != null) {
      events.wakeup();
    }
  }
}
