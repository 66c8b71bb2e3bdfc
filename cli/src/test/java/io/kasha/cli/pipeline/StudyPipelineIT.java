package io.kasha.cli.pipeline;

import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.STUDY_REJECTED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.audit.AshaAudit;
import io.kasha.cli.study.StudyFile;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.schemas.EventType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialReport;
import io.kasha.topology.SchedulerApp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole studies through a real KRaft broker, the Kafka Streams scheduler with RocksDB state and
 * share-group runners; each test is its own deployment (topic prefix, application id, group).
 */
class StudyPipelineIT {

  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path home;

  private Pipeline pipeline(final String name) throws Exception {
    return new Pipeline(TestBroker.bootstrapServers(), name, home);
  }

  @Test
  void studyWithFourRunnersCompletesAndItsAuditLogObeysTheAshaRule() throws Exception {
    try (Pipeline pipeline = pipeline("four-runners")) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4);

      pipeline.submit("s1", Pipeline.spec().setMaxTrials(27).setMaxResource(27).build());
      final List<StudyEvent> events = pipeline.awaitEnd("s1", STUDY_TIMEOUT);

      assertCompletedAshaStudy(events, 27);
    }
  }

  @Test
  void schedulerStoppedMidStudyResumesFromItsStateDirWithNoDecisionLostOrRepeated() throws Exception {
    assertCompletedAshaStudy(runAcrossSchedulerRestart("restart-same-dir", false), 18);
  }

  @Test
  void schedulerWithAWipedStateDirRestoresFromChangelogsAndFinishesTheStudy() throws Exception {
    assertCompletedAshaStudy(runAcrossSchedulerRestart("restart-wiped", true), 18);
  }

  /** Runs a study, stops its scheduler after six results, optionally wipes its state, and starts another. */
  private List<StudyEvent> runAcrossSchedulerRestart(final String name, final boolean wipeState) throws Exception {
    try (Pipeline pipeline = pipeline(name)) {
      final Path state = home.resolve("state");
      final SchedulerApp first = pipeline.startScheduler(state);
      pipeline.startRunner(3);
      pipeline.submit("s1", Pipeline.spec().setParams(List.of(Pipeline.spec().getParams().get(0),
          Pipeline.sleepMs(50))).build());

      pipeline.eventsUntil("s1", new NthOf(RUNG_RESULT, 6), STUDY_TIMEOUT);
      first.close();
      if (wipeState) {
        deleteRecursively(state);
      }
      pipeline.startScheduler(state);
      return pipeline.awaitEnd("s1", STUDY_TIMEOUT);
    }
  }

  @Test
  void runnerKilledMidJobHasItsJobRedeliveredAndTheStudyCompletes() throws Exception {
    try (Pipeline pipeline = pipeline("killed-runner")) {
      pipeline.startScheduler(home.resolve("state"));
      final Process child = startRunnerProcess(pipeline, "doomed");
      try (KafkaConsumer<String, TrialReport> reports = reportsConsumer(pipeline)) {
        // the doomed runner holds its job until it is killed, however long the test takes to kill it
        pipeline.submit("s1", Pipeline.spec().setMaxResource(1).setMaxTrials(1).setParallelism(1).build());

        final TrialReport started = awaitReport(reports, r -> r.getKind() == ReportKind.STARTED, Duration.ofSeconds(90));
        assertThat(started.getRunnerId()).isEqualTo("doomed");
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        pipeline.startRunner(1);
        // the job's partition may stay with the dead runner until its share-group session times out (45 s)
        final TrialReport completed = awaitReport(reports, r -> r.getKind() == ReportKind.SEGMENT_COMPLETED,
            STUDY_TIMEOUT);

        assertThat(completed.getJobId()).isEqualTo(started.getJobId());
        assertThat(completed.getRunnerId()).isNotEqualTo("doomed");
        final List<StudyEvent> events = pipeline.awaitEnd("s1", STUDY_TIMEOUT);
        assertThat(events.get(events.size() - 1).getStatus()).isEqualTo("COMPLETED");
        assertThat(events).noneMatch(e -> e.getType() == EventType.JOB_REISSUED);
      } finally {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void invalidStudyIsRejectedWithEveryProblemListed() throws Exception {
    try (Pipeline pipeline = pipeline("rejected")) {
      pipeline.startScheduler(home.resolve("state"));

      pipeline.submit("bad", Pipeline.spec().setEta(1).setParallelism(0).setMetric("").setMaxResource(0).build());
      final List<StudyEvent> events = pipeline.awaitEnd("bad", STUDY_TIMEOUT);

      final StudyEvent rejected = events.get(events.size() - 1);
      assertThat(rejected.getType()).isEqualTo(STUDY_REJECTED);
      assertThat(rejected.getProblems())
          .anyMatch(p -> p.startsWith("eta"))
          .anyMatch(p -> p.startsWith("parallelism"))
          .anyMatch(p -> p.startsWith("metric"))
          .anyMatch(p -> p.startsWith("maxResource"));
    }
  }

  @Test
  void garbageOnEveryInputTopicAndDuplicatedReportsChangeNothing() throws Exception {
    try (Pipeline pipeline = pipeline("garbage");
         KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      for (final String topic : List.of(pipeline.topics.studies().name(), pipeline.topics.trialReports().name(),
          pipeline.topics.trialJobs().name())) {
        raw.send(new ProducerRecord<>(topic, "s1".getBytes(), "definitely not avro".getBytes())).get();
        raw.send(new ProducerRecord<>(topic, "s1".getBytes(), new byte[] {(byte) 0xC3, 0x01, 9, 9})).get();
      }
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4);
      final AtomicReference<Map<TopicPartition, Long>> stopAt = new AtomicReference<>();
      final AtomicInteger duplicated = new AtomicInteger();
      final Thread duplicator = new Thread(() -> duplicateCompletedReports(pipeline, raw, stopAt, duplicated));
      duplicator.setDaemon(true);
      duplicator.start();

      pipeline.submit("s1", Pipeline.spec().build());
      final List<StudyEvent> events = pipeline.awaitEnd("s1", STUDY_TIMEOUT);
      // the duplicator stops once it has read every report written until the study ended, however far behind
      stopAt.set(endOffsets(pipeline));
      duplicator.join(STUDY_TIMEOUT.toMillis());

      assertThat(duplicator.isAlive()).as("the duplicator caught up with the reports").isFalse();
      assertThat(duplicated.get()).as("reports sent twice, at least one per result")
          .isGreaterThanOrEqualTo((int) events.stream().filter(e -> e.getType() == RUNG_RESULT).count());
      assertCompletedAshaStudy(events, 18);
    }
  }

  @Test
  void pythonExampleRunsAsARegisteredEntrypointWithCheckpoints() throws Exception {
    final Path examples = Path.of("..", "examples", "python").toAbsolutePath().normalize();
    final StudyFile study = StudyFile.read(examples.resolve("study.yaml"));
    try (Pipeline pipeline = pipeline("python")) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(study.runners(), EntrypointRegistry.load(examples.resolve("entrypoints.yaml")));

      // keep every checkpoint, so that each trial's can be counted after the study
      final io.kasha.schemas.StudySpec spec = io.kasha.schemas.StudySpec.newBuilder(study.spec())
          .setKeepCheckpoints(true).build();
      pipeline.submit("py", spec);
      final List<StudyEvent> events = pipeline.awaitEnd("py", STUDY_TIMEOUT);

      assertCompletedAshaStudy(events, study.spec().getMaxTrials());
      assertThat(events).filteredOn(e -> e.getType() == TRIAL_PROMOTED).isNotEmpty()
          .allSatisfy(e -> assertThat(e.getReason()).doesNotContain("no checkpoint"));
      try (var saved = Files.walk(home.resolve("checkpoints"))) {
        assertThat(saved.filter(p -> p.getFileName().toString().equals("state.json")).count())
            .isGreaterThanOrEqualTo(study.spec().getMaxTrials());
      }
    }
  }

  @Test
  void quickstartRunsForANewUserAndItsSummaryShowsTheAshaLadder() throws Exception {
    final Path summary = home.resolve("summary.json");
    final Process run = new ProcessBuilder(javaCommand("run", Path.of("..", "examples", "quickstart.yaml").toString(),
        "--home", home.resolve("kasha").toString(), "--summary-json", summary.toString()))
        .redirectErrorStream(true).redirectOutput(home.resolve("run.log").toFile()).start();

    assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("kasha run finished").isTrue();
    assertThat(run.exitValue()).as(Files.readString(home.resolve("run.log"))).isZero();
    final JsonNode json = new ObjectMapper().readTree(summary.toFile());
    assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(json.get("trials").asInt()).isEqualTo(27);
    assertThat(json.get("best").get("resource").asInt()).isEqualTo(27);
    final JsonNode rungs = json.get("rungs");
    assertThat(rungs).hasSize(4);
    assertThat(rungs.get(3).get("results").asInt()).isGreaterThanOrEqualTo(1);
    for (int k = 0; k < 3; k++) {
      assertThat(rungs.get(k).get("promoted").asInt()).isGreaterThanOrEqualTo(rungs.get(k).get("results").asInt() / 3);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static void assertCompletedAshaStudy(final List<StudyEvent> events, final int trials) {
    final StudyEvent last = events.get(events.size() - 1);
    assertThat(last.getType()).isEqualTo(STUDY_COMPLETED);
    assertThat(last.getStatus()).isEqualTo("COMPLETED");
    assertThat(AshaAudit.check(events)).isEmpty();
    assertThat(events).filteredOn(e -> e.getType() == TRIAL_CREATED).hasSize(trials);
    final Map<Integer, Long> results = events.stream().filter(e -> e.getType() == RUNG_RESULT)
        .collect(Collectors.groupingBy(StudyEvent::getRung, Collectors.counting()));
    final Map<Integer, Long> promoted = events.stream().filter(e -> e.getType() == TRIAL_PROMOTED)
        .collect(Collectors.groupingBy(StudyEvent::getRung, Collectors.counting()));
    assertThat(results.get(0)).isEqualTo((long) trials);
    final int top = results.keySet().stream().max(Integer::compare).orElseThrow();
    for (int k = 0; k < top; k++) {
      assertThat(promoted.getOrDefault(k, 0L)).isGreaterThanOrEqualTo(results.get(k) / 3)
          .isEqualTo(results.get(k + 1));
    }
    final Set<String> resultKeys = events.stream().filter(e -> e.getType() == RUNG_RESULT)
        .map(e -> e.getTrialId() + "@" + e.getRung()).collect(Collectors.toSet());
    assertThat(resultKeys).hasSize(events.stream().filter(e -> e.getType() == RUNG_RESULT).toList().size());
  }

  /** True at the n-th event of a type. */
  private static final class NthOf implements java.util.function.Predicate<StudyEvent> {
    private final EventType type;
    private int left;

    NthOf(final EventType type, final int n) {
      this.type = type;
      this.left = n;
    }

    @Override
    public boolean test(final StudyEvent event) {
      return event.getType() == type && --left == 0;
    }
  }

  private static List<String> javaCommand(final String... args) {
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.kasha.schemas",
        "-Xmx512m",
        "-cp", System.getProperty("java.class.path"),
        "io.kasha.cli.Kasha"));
    command.addAll(List.of(args));
    return command;
  }

  /** A runner in a JVM of its own, whose {@link BowlObjective} holds every job it takes until the JVM is killed. */
  private Process startRunnerProcess(final Pipeline pipeline, final String runnerId) throws Exception {
    final List<String> command = javaCommand("runner", "--bootstrap-server", pipeline.bootstrap,
        "--topic-prefix", pipeline.name + ".", "--group-id", pipeline.name + "-runners", "--slots", "1",
        "--checkpoint-dir", home.resolve("checkpoints").toString(), "--runner-id", runnerId);
    command.add(1, "-D" + BowlObjective.HOLD_PROPERTY + "=true");
    return new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(home.resolve(runnerId + ".log").toFile()).start();
  }

  private static KafkaConsumer<String, TrialReport> reportsConsumer(final Pipeline pipeline) {
    final KafkaConsumer<String, TrialReport> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), pipeline.topics.trialReports().valueSerde().deserializer());
    consumer.assign(consumer.partitionsFor(pipeline.topics.trialReports().name()).stream()
        .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList());
    return consumer;
  }

  private static TrialReport awaitReport(final KafkaConsumer<String, TrialReport> consumer,
      final java.util.function.Predicate<TrialReport> wanted, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (final ConsumerRecord<String, TrialReport> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.value() != null && wanted.test(record.value())) {
          return record.value();
        }
      }
    }
    throw new AssertionError("no such report within " + timeout);
  }

  private KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Sends every segment-completed report a second time, byte for byte, as a redelivering runner would,
   * until it has read the reports up to {@code stopAt}, once that is set.
   */
  private static void duplicateCompletedReports(final Pipeline pipeline, final KafkaProducer<byte[], byte[]> raw,
      final AtomicReference<Map<TopicPartition, Long>> stopAt, final AtomicInteger duplicated) {
    final var decoder = pipeline.topics.trialReports().valueSerde().deserializer();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(consumer.partitionsFor(pipeline.topics.trialReports().name()).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList());
      final Set<String> seen = new java.util.HashSet<>();
      while (stopAt.get() == null
          || stopAt.get().entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          final TrialReport report;
          try {
            report = decoder.deserialize(record.topic(), record.value());
          } catch (RuntimeException garbage) {
            continue;
          }
          if (report.getKind() == ReportKind.SEGMENT_COMPLETED && seen.add(report.getJobId())) {
            raw.send(new ProducerRecord<>(record.topic(), record.key(), record.value()));
            duplicated.incrementAndGet();
          }
        }
      }
    }
  }

  private static Map<TopicPartition, Long> endOffsets(final Pipeline pipeline) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      return consumer.endOffsets(consumer.partitionsFor(pipeline.topics.trialReports().name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
    }
  }

  private static void deleteRecursively(final Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
    assertThat(dir).doesNotExist();
  }
}
