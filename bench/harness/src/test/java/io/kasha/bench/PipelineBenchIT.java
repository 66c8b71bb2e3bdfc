package io.kasha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.bench.pipeline.PipelineBenchCommand;
import io.kasha.cli.local.EmbeddedBroker;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A short run of {@code kasha bench pipeline} on an embedded broker; checks what it reports, never how fast. */
class PipelineBenchIT {

  private static final String PREFIX = "bench-it.";

  @TempDir
  Path brokerDir;

  @Test
  void shortRunReportsEveryFigureAndEveryStudyItStartedCompleted() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(brokerDir, Map.of())) {
      final StringWriter out = new StringWriter();
      final CommandLine command = new CommandLine(new PipelineBenchCommand())
          .setOut(new PrintWriter(out))
          .setErr(new PrintWriter(new StringWriter()));

      final int exit = command.execute("--json", "--bootstrap-server", broker.bootstrapServers(),
          "--topic-prefix", PREFIX, "--studies", "3", "--trials", "12", "--parallelism", "3",
          "--slots", "4", "--partitions", "2", "--warmup", "2", "--seconds", "3", "--job-ms", "5");

      assertThat(exit).as(out.toString()).isZero();
      final JsonNode json = new ObjectMapper().readTree(out.toString());
      // what the window measured depends on the machine: only the form of each figure is checked
      for (final String key : List.of("reportsPerSecond", "reportToJobP50Ms", "reportToJobP99Ms", "jobsMeasured",
          "reportToVisibleP50Ms", "reportToVisibleP99Ms", "schedulerCommitsPerSecond", "processCores")) {
        assertThat(json.get(key).isNumber()).as(key).isTrue();
        assertThat(json.get(key).asDouble()).as(key).isNotNegative();
      }
      assertThat(json.get("reportToJobP99Ms").asDouble()).isGreaterThanOrEqualTo(json.get("reportToJobP50Ms").asDouble());
      assertThat(json.get("reportToVisibleP99Ms").asDouble())
          .isGreaterThanOrEqualTo(json.get("reportToVisibleP50Ms").asDouble());
      assertThat(json.get("schedulerCommitMs").isNumber() || json.get("schedulerCommitMs").isNull())
          .as("schedulerCommitMs, a number or null when unknown").isTrue();
      assertThat(fieldNames(json.get("coresByPart"))).containsExactly("scheduler", "broker", "runners", "benchmark",
          "jvm");
      json.get("coresByPart").forEach(cores -> assertThat(cores.asDouble()).isNotNegative());
      assertThat(json.get("studies").asInt()).isEqualTo(3);
      assertThat(json.get("jobMs").asLong()).isEqualTo(5);
      assertThat(json.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
      final Map<String, String> ends = studyEnds(broker.bootstrapServers());
      assertThat(ends).hasSizeGreaterThanOrEqualTo(3).hasSize(json.get("studiesRun").asInt());
      assertThat(ends).allSatisfy((study, status) -> assertThat(status).as(study).isEqualTo("COMPLETED"));
      assertThat(json.get("studiesCompleted").asInt()).isEqualTo(ends.size());
    }
  }

  private static List<String> fieldNames(final JsonNode object) {
    final List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Every study accepted on the benchmark's events topic, with the status of its STUDY_COMPLETED event (or null). */
  private static Map<String, String> studyEnds(final String bootstrap) {
    final Topics topics = Topics.withPrefix(PREFIX);
    final Map<String, String> ends = new HashMap<>();
    try (KafkaConsumer<String, StudyEvent> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), topics.studyEvents().valueSerde().deserializer())) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topics.studyEvents().name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (final ConsumerRecord<String, StudyEvent> record : consumer.poll(Duration.ofMillis(200))) {
          final StudyEvent event = record.value();
          if (event.getType() == EventType.STUDY_ACCEPTED) {
            ends.putIfAbsent(event.getStudyId(), null);
          } else if (event.getType() == EventType.STUDY_COMPLETED) {
            ends.put(event.getStudyId(), String.valueOf(event.getStatus()));
          }
        }
      }
    }
    final Set<String> unfinished = new TreeSet<>();
    ends.forEach((study, status) -> {
      if (status == null) {
        unfinished.add(study);
      }
    });
    assertThat(unfinished).as("studies without a STUDY_COMPLETED event").isEmpty();
    return ends;
  }
}
