package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.cli.StudyCommands;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Studies written by a real non-Java client: {@code kcat} (librdkafka), whose default partitioner
 * ({@code consistent_random}, CRC32 of the key) puts a study's command on another partition than the
 * runners' reports for it (Java's murmur2). The scheduler forwards the command to the partition its
 * study id maps to, so the study runs to its end; a stop written by Kasha's own Java client for a study
 * kcat created reaches it too. {@code .ci/run} installs kcat; elsewhere the test needs {@code apt-get
 * install kcat} and says so (under {@code CI=true} a missing kcat fails the build).
 */
class ForeignProducerPipelineIT {

  private static final int PARTITIONS = 4;
  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path home;

  @Test
  void aStudyWrittenByKcatWithLibrdkafkasDefaultPartitionerRunsToItsEnd() throws Exception {
    final String kcat = kcat();
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "kcat", home, PARTITIONS)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4);
      final String completes = idWhereThePartitionersDisagree("kcat-completes-");
      final String stopped = idWhereThePartitionersDisagree("kcat-stopped-");

      produceWithKcat(kcat, pipeline, completes, create(completes, Pipeline.spec().setMaxTrials(9).build()));
      produceWithKcat(kcat, pipeline, stopped, create(stopped, Pipeline.spec().setMaxTrials(1000)
          .setParams(List.of(Pipeline.spec().getParams().get(0), Pipeline.sleepMs(200))).build()));

      final List<StudyEvent> events = pipeline.awaitEnd(completes, STUDY_TIMEOUT);
      final StudyEvent end = events.get(events.size() - 1);
      assertThat(end.getType()).isEqualTo(EventType.STUDY_COMPLETED);
      assertThat(end.getStatus()).isEqualTo("COMPLETED");
      assertThat(events).filteredOn(e -> e.getType() == EventType.TRIAL_CREATED).hasSize(9);

      pipeline.eventsUntil(stopped, e -> e.getType() == EventType.RUNG_RESULT, STUDY_TIMEOUT);
      StudyCommands.stop(pipeline.bootstrap, pipeline.topics, stopped, "stopped from Java");
      final List<StudyEvent> stopEvents = pipeline.awaitEnd(stopped, STUDY_TIMEOUT);
      assertThat(stopEvents.get(stopEvents.size() - 1).getStatus()).isEqualTo("STOPPED");

      // kcat's records sit on the CRC32 partition; the forwarded copies on the murmur2 one, marked
      final List<ConsumerRecord<byte[], byte[]>> written = readAll(pipeline);
      for (final String id : List.of(completes, stopped)) {
        assertThat(written).filteredOn(r -> id.equals(key(r)) && r.partition() == crc32Partition(id))
            .as("kcat's command of %s on partition %d", id, crc32Partition(id))
            .singleElement().satisfies(r -> assertThat(r.headers().lastHeader("kasha.routed-from")).isNull());
        assertThat(written).filteredOn(r -> id.equals(key(r)) && r.partition() == murmur2Partition(id)
                && r.headers().lastHeader("kasha.routed-from") != null)
            .as("the forwarded command of %s on partition %d", id, murmur2Partition(id)).hasSize(1);
      }
    }
  }

  private static StudyCommand create(final String studyId, final StudySpec spec) {
    return StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.CREATE).setSpec(spec).build();
  }

  /** Writes one record with kcat's defaults (librdkafka's consistent_random partitioner), as a user's script would. */
  private void produceWithKcat(final String kcat, final Pipeline pipeline, final String key,
      final StudyCommand command) throws IOException, InterruptedException {
    final Path file = Files.write(home.resolve(key + ".avro"),
        pipeline.topics.studies().valueSerde().serializer().serialize(pipeline.topics.studies().name(), command));
    final Process process = new ProcessBuilder(kcat, "-P", "-b", pipeline.bootstrap, "-t",
        pipeline.topics.studies().name(), "-k", key, file.toString())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat ends").isTrue();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("kcat's exit code (output: %s)", output).isZero();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(final Pipeline pipeline) {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
          .mapToObj(p -> new TopicPartition(pipeline.topics.studies().name(), p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static String key(final ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  /** A study id that librdkafka's default partitioner and Java's put on different partitions. */
  private static String idWhereThePartitionersDisagree(final String prefix) {
    return IntStream.range(0, 1000).mapToObj(i -> prefix + i)
        .filter(id -> crc32Partition(id) != murmur2Partition(id)).findFirst().orElseThrow();
  }

  /** librdkafka's consistent_random for a keyed record: CRC32 of the key, modulo the partition count. */
  private static int crc32Partition(final String key) {
    final CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % PARTITIONS);
  }

  private static int murmur2Partition(final String key) {
    return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
  }

  private static String kcat() {
    for (final String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      final Path candidate = Path.of(dir, "kcat");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    final String missing = "kcat is not installed (apt-get install kcat); .ci/run installs it";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(missing);
    }
    Assumptions.abort(missing);
    return null;
  }
}
