package io.kasha.bench.pipeline;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Keeps {@code concurrent} benchmark studies running: submits them, follows the study-events topic
 * ({@code read_committed}, every partition, from its end at start), and submits a new study each time
 * one ends, until {@link #stopSubmitting()}. Counts the RUNG_RESULT events on the way: one per
 * SEGMENT_COMPLETED report the scheduler has processed and committed.
 *
 * <p>Lifecycle: {@link #run()} on its own thread until {@link #stop()}; the other methods from any
 * thread.
 */
final class StudyRotation implements Runnable {

  private final Topics topics;
  private final String idPrefix;
  private final int concurrent;
  private final int trials;
  private final int parallelism;
  private final KafkaConsumer<String, StudyEvent> events;
  private final KafkaProducer<String, StudyCommand> commands;
  private final AtomicBoolean submitting = new AtomicBoolean(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong rungResults = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Map<String, String> ended = new ConcurrentHashMap<>();
  private long submitted;

  StudyRotation(final String bootstrapServers, final Topics topics, final String idPrefix, final int concurrent,
      final int trials, final int parallelism) {
    this.topics = topics;
    this.idPrefix = idPrefix;
    this.concurrent = concurrent;
    this.trials = trials;
    this.parallelism = parallelism;
    this.events = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "kasha-bench-events"),
        new StringDeserializer(), topics.studyEvents().valueSerde().deserializer());
    final List<TopicPartition> partitions = events.partitionsFor(topics.studyEvents().name(), Duration.ofSeconds(30))
        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    events.assign(partitions);
    events.seekToEnd(partitions);
    partitions.forEach(events::position);
    this.commands = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "kasha-bench-studies"),
        topics.studies().keySerde().serializer(), topics.studies().valueSerde().serializer());
  }

  /** The spec of every benchmark study: one float parameter, rungs 1, 3, 9, the no-op objective. */
  static StudySpec spec(final long seed, final int trials, final int parallelism) {
    return StudySpec.newBuilder()
        .setName("bench")
        .setEntrypoint(NoopObjective.NAME)
        .setMetric(NoopObjective.METRIC)
        .setMode(Mode.MIN)
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setSeed(seed)
        .setMinResource(1)
        .setMaxResource(9)
        .setEta(3)
        .setParallelism(parallelism)
        .setMaxTrials(trials)
        .build();
  }

  @Override
  public void run() {
    try {
      for (int i = 0; i < concurrent; i++) {
        submit();
      }
      while (running.get()) {
        for (final ConsumerRecord<String, StudyEvent> record : events.poll(Duration.ofMillis(100))) {
          final StudyEvent event = record.value();
          if (event != null && event.getStudyId().startsWith(idPrefix)) {
            onEvent(event);
          }
        }
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      events.close();
      commands.close();
    }
  }

  private void onEvent(final StudyEvent event) {
    if (event.getType() == EventType.RUNG_RESULT) {
      rungResults.incrementAndGet();
    } else if (event.getType() == EventType.STUDY_COMPLETED || event.getType() == EventType.STUDY_REJECTED) {
      final String status = event.getType() == EventType.STUDY_REJECTED
          ? "REJECTED: " + event.getProblems() : String.valueOf(event.getStatus());
      if (open.remove(event.getStudyId())) {
        ended.put(event.getStudyId(), status);
        if (submitting.get()) {
          submit();
        }
      }
    }
  }

  private void submit() {
    final long n = ++submitted;
    final String studyId = idPrefix + n;
    open.add(studyId);
    final StudyCommand create = StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.CREATE)
        .setSpec(spec(n, trials, parallelism)).build();
    commands.send(new ProducerRecord<>(topics.studies().name(), studyId, create), (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
    });
  }

  /** From now on an ended study is not replaced. */
  void stopSubmitting() {
    submitting.set(false);
  }

  void stop() {
    running.set(false);
  }

  /** RUNG_RESULT events seen so far. */
  long rungResults() {
    return rungResults.get();
  }

  /** Studies submitted and not ended yet. */
  int running() {
    return open.size();
  }

  /** Every study that ended, with its status (COMPLETED for a study that ran to its end). */
  Map<String, String> ended() {
    return Map.copyOf(ended);
  }

  /** What stopped the rotation, if anything did. */
  java.util.Optional<Exception> failure() {
    return java.util.Optional.ofNullable(failure.get());
  }
}
