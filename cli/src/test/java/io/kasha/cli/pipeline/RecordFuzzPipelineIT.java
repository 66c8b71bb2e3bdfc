package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.spec.Limits;
import io.kasha.spec.StudyValidator;
import io.kasha.topology.SchedulerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scheduler (RocksDB state, exactly-once) and runners on a real broker take 10,000 fuzz records on
 * each input topic ({@link FuzzRecords}: random bytes, truncated records, other schemas, corrupted
 * headers and fingerprints, null keys and values, records near the broker's largest, a few hundred
 * schema-valid studies and commands for unknown studies, reports for unknown studies and trials, and
 * records whose valid header is followed by a length of up to 2 GiB, which once ran the scheduler out
 * of memory) while two normal studies run beside them. The scheduler never stops, both studies complete, every
 * schema-valid study gets exactly one study-accepted or study-rejected event (accepted exactly when the
 * scheduler's checks find no problem) and every accepted one ends, and the scheduler does not loop: it
 * consumes both topics to their end and then writes no more events, and a stop, extension or report
 * for an unknown study writes none. Prints the figures.
 */
class RecordFuzzPipelineIT {

  private static final int RECORDS_PER_TOPIC = 10_000;
  private static final int PARTITIONS = 2;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Set<KafkaStreams.State> UP = EnumSet.of(KafkaStreams.State.CREATED,
      KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

  @TempDir
  Path home;

  @Test
  void theSchedulerAnswersEveryStudyAndSkipsTheRestWhileTwoStudiesComplete() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "fuzz", home, PARTITIONS);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap))) {
      final SchedulerApp scheduler = pipeline.startScheduler(home.resolve("state"));
      final Set<KafkaStreams.State> states = watch(scheduler);
      pipeline.startRunner(4);
      final List<String> normal = List.of("normal-1", "normal-2");
      for (final String id : normal) {
        pipeline.submit(id, Pipeline.spec().setMaxTrials(9).build());
      }

      final int largest = maxMessageBytes(admin, pipeline.topics.studies().name()) - 100 * 1024;
      final List<String> knownTrials = normal.stream()
          .flatMap(id -> IntStream.rangeClosed(1, 9).mapToObj(i -> id + "-t" + i)).toList();
      final FuzzRecords fuzz = new FuzzRecords(System.nanoTime(), pipeline, knownTrials, largest);
      final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(fuzz.studies(RECORDS_PER_TOPIC));
      records.addAll(fuzz.reports(RECORDS_PER_TOPIC));
      produce(pipeline, records, largest);

      for (final String id : normal) {
        final List<StudyEvent> events = pipeline.awaitEnd(id, TIMEOUT);
        assertThat(events.get(events.size() - 1).getStatus()).as("the end of %s", id).isEqualTo("COMPLETED");
      }
      final Map<String, List<StudyEvent>> events = quietEvents(pipeline, admin, fuzz.creates.keySet());

      assertThat(states).as("the scheduler's states").allMatch(UP::contains);
      assertThat(Pipeline.running(scheduler)).as("the scheduler runs").isTrue();
      final Figures figures = new Figures(fuzz, events, scheduler);
      for (final Map.Entry<String, StudySpec> create : fuzz.creates.entrySet()) {
        final List<StudyEvent> answers = events.getOrDefault(create.getKey(), List.of()).stream()
            .filter(e -> e.getType() == EventType.STUDY_ACCEPTED || e.getType() == EventType.STUDY_REJECTED)
            .toList();
        assertThat(answers).as("the answers to %s", create.getKey()).singleElement()
            .satisfies(e -> assertThat(e.getType()).isEqualTo(valid(create.getValue())
                ? EventType.STUDY_ACCEPTED : EventType.STUDY_REJECTED));
      }
      assertThat(events.keySet()).as("studies with events").noneMatch(id -> id.startsWith("fz-unknown-")
          || id.startsWith("fz-nobody-"));
      assertThat(figures.accepted).as("accepted fuzz studies").isPositive().isEqualTo(figures.completed);
      assertThat(figures.rejected).as("rejected fuzz studies").isPositive();
      assertThat(figures.dropped).as("records skipped as undecodable")
          .isGreaterThanOrEqualTo(figures.surelyUndecodable);
      assertThat(figures.ignored).as("reports ignored").isGreaterThanOrEqualTo(1_000);
      assertThat(figures.unknownStudy).as("reports of unknown studies").isGreaterThanOrEqualTo(600);
      System.out.print(figures);
    }
  }

  private static boolean valid(final StudySpec spec) {
    return Limits.DEFAULTS.check(spec).isEmpty() && StudyValidator.validate(spec).isEmpty();
  }

  /** Every state the scheduler passes through, sampled until the JVM ends. */
  private static Set<KafkaStreams.State> watch(final SchedulerApp scheduler) {
    final Set<KafkaStreams.State> states = ConcurrentHashMap.newKeySet();
    final Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        states.add(scheduler.state());
        if (scheduler.state() == KafkaStreams.State.PENDING_SHUTDOWN || scheduler.state() == KafkaStreams.State.NOT_RUNNING) {
          return;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "fuzz-state-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return states;
  }

  private static int maxMessageBytes(final Admin admin, final String topic) throws Exception {
    final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return Integer.parseInt(admin.describeConfigs(List.of(resource)).all().get(1, TimeUnit.MINUTES).get(resource)
        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
  }

  private static void produce(final Pipeline pipeline, final List<ProducerRecord<byte[], byte[]>> records,
      final int largest) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, largest + 64 * 1024,
        ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(record -> producer.send(record, (metadata, e) -> {
        if (e != null) {
          throw new IllegalStateException("the broker refused a fuzz record", e);
        }
      }));
      producer.flush();
    }
  }

  /**
   * The events of the whole log by study, once the scheduler has consumed both input topics to their
   * end, every fuzz study it accepted has ended, and two reads a few seconds apart find the same events.
   */
  private static Map<String, List<StudyEvent>> quietEvents(final Pipeline pipeline, final Admin admin,
      final Set<String> creates) throws Exception {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int previous = -1;
    while (System.nanoTime() < deadline) {
      final Map<String, List<StudyEvent>> events = readEvents(pipeline);
      final int count = events.values().stream().mapToInt(List::size).sum();
      if (count == previous && lag(pipeline, admin) == 0 && allEnded(events, creates)) {
        return events;
      }
      previous = count;
      Thread.sleep(3_000);
    }
    throw new AssertionError("the scheduler did not settle within " + TIMEOUT + " (lag " + lag(pipeline, admin)
        + ", events " + previous + ")");
  }

  private static boolean allEnded(final Map<String, List<StudyEvent>> events, final Set<String> creates) {
    return creates.stream().allMatch(id -> events.getOrDefault(id, List.of()).stream().anyMatch(e ->
        e.getType() == EventType.STUDY_REJECTED || e.getType() == EventType.STUDY_COMPLETED));
  }

  /** Records of both input topics that the scheduler's consumer group has not committed yet. */
  private static long lag(final Pipeline pipeline, final Admin admin) throws Exception {
    final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(pipeline.name
        + "-scheduler").partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES);
    final Map<TopicPartition, OffsetSpec> inputs = new HashMap<>();
    for (final String topic : List.of(pipeline.topics.studies().name(), pipeline.topics.trialReports().name())) {
      IntStream.range(0, PARTITIONS).forEach(p -> inputs.put(new TopicPartition(topic, p), OffsetSpec.latest()));
    }
    final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(inputs).all()
        .get(1, TimeUnit.MINUTES);
    return ends.entrySet().stream().mapToLong(end -> end.getValue().offset()
        - (committed.get(end.getKey()) == null ? 0 : committed.get(end.getKey()).offset())).sum();
  }

  private static Map<String, List<StudyEvent>> readEvents(final Pipeline pipeline) {
    final Map<String, List<StudyEvent>> events = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
          .mapToObj(p -> new TopicPartition(pipeline.topics.studyEvents().name(), p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          final StudyEvent event = pipeline.topics.studyEvents().valueSerde().deserializer()
              .deserialize(record.topic(), record.value());
          events.computeIfAbsent(event.getStudyId(), id -> new ArrayList<>()).add(event);
        });
      }
    }
    return events;
  }

  /** What the fuzz wrote and what the scheduler counted and answered. */
  private static final class Figures {
    final FuzzRecords fuzz;
    final long accepted;
    final long rejected;
    final long completed;
    final long events;
    final double dropped;
    final double ignored;
    final double unknownStudy;
    final double routed;
    final long surelyUndecodable;

    Figures(final FuzzRecords fuzz, final Map<String, List<StudyEvent>> events, final SchedulerApp scheduler) {
      this.fuzz = fuzz;
      this.accepted = count(fuzz, events, EventType.STUDY_ACCEPTED);
      this.rejected = count(fuzz, events, EventType.STUDY_REJECTED);
      this.completed = count(fuzz, events, EventType.STUDY_COMPLETED);
      this.events = events.values().stream().mapToLong(List::size).sum();
      this.dropped = metric(scheduler, "dropped-records-total");
      this.ignored = metric(scheduler, "ignored-reports-total");
      this.unknownStudy = metric(scheduler, "unknown-study-reports-total");
      this.routed = metric(scheduler, "routed-records-total");
      this.surelyUndecodable = fuzz.kinds.values().stream().mapToLong(kinds -> kinds.entrySet().stream()
          .filter(k -> Set.of("random bytes", "truncated", "another schema", "corrupted header or fingerprint",
              "null key", "valid header, a length past the record's end").contains(k.getKey())).mapToLong(Map.Entry::getValue).sum()).sum();
    }

    private static long count(final FuzzRecords fuzz, final Map<String, List<StudyEvent>> events,
        final EventType type) {
      return fuzz.creates.keySet().stream().filter(id -> events.getOrDefault(id, List.of()).stream()
          .anyMatch(e -> e.getType() == type)).count();
    }

    private static double metric(final SchedulerApp scheduler, final String name) {
      return scheduler.metrics().entrySet().stream().filter(m -> m.getKey().name().equals(name))
          .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
    }

    @Override
    public String toString() {
      final String kinds = fuzz.kinds.entrySet().stream().map(topic -> "  " + topic.getKey() + ": "
          + topic.getValue().values().stream().mapToInt(Integer::intValue).sum() + " records " + topic.getValue())
          .collect(Collectors.joining("\n"));
      return String.format("%nRecord fuzz on a real broker:%n%s%n  skipped as undecodable (dropped-records-total): "
          + "%.0f (at least %d surely undecodable)%n  reports ignored: %.0f, of unknown studies: %.0f; records "
          + "routed to their study's partition: %.0f%n  schema-valid studies: %d, rejected %d, accepted %d, "
          + "completed %d; events in the log: %d%n", kinds, dropped, surelyUndecodable, ignored, unknownStudy, routed,
          fuzz.creates.size(), rejected, accepted, completed, events);
    }
  }
}
