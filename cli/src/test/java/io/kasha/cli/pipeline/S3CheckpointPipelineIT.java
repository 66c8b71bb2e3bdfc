package io.kasha.cli.pipeline;

import static io.kasha.schemas.EventType.CHECKPOINTS_RELEASED;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.audit.AshaAudit;
import io.kasha.checkpoint.S3CheckpointStore;
import io.kasha.checkpoint.S3Location;
import io.kasha.checkpoint.S3TestServer;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Whole ASHA studies whose checkpoints live only in a bucket of a real S3 API server (s3proxy in this
 * JVM): runners in this JVM, then runner processes started the way users start them, with the keys in
 * their environment. Promoted jobs resume from {@code s3://} checkpoints that the objective reads back
 * and checks, and at the end the bucket holds the best trial's last checkpoint only.
 */
class S3CheckpointPipelineIT {

  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(3);
  private static final int WEIGHTS_BYTES = 256 * 1024;

  @TempDir static Path serverDir;
  private static S3TestServer server;

  @TempDir Path home;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void runnersWhoseCheckpointsLiveInABucketResumeEveryPromotionFromThem() throws Exception {
    server.createBucket("threads");
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "s3-threads", home);
         S3CheckpointStore store = new S3CheckpointStore(new S3Location("threads", "kasha"), server.settings(),
             home.resolve("cache"))) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4, EntrypointRegistry.discover(), store);

      pipeline.submit("s1", spec());
      final List<StudyEvent> events = pipeline.eventsUntil("s1", S3CheckpointPipelineIT::lastRelease, STUDY_TIMEOUT);

      assertStudyResumedFromTheBucket(pipeline, events, "s3://threads/kasha/s1/");
      assertOnlyTheKeptCheckpointStays(events, "threads", "kasha/s1/");
      pipeline.close();
      try (Stream<Path> left = Files.list(store.localDirectory().resolve("downloads"))) {
        assertThat(left).as("every downloaded copy deleted once its segment ended").isEmpty();
      }
    }
    assertThat(home.resolve("checkpoints")).as("nothing in the directory store").doesNotExist();
  }

  @Test
  void runnerProcessesStartedAsUsersStartThemKeepCheckpointsInTheBucket() throws Exception {
    server.createBucket("processes");
    final List<Process> runners = new ArrayList<>();
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "s3-processes", home)) {
      pipeline.startScheduler(home.resolve("state"));
      for (int i = 0; i < 2; i++) {
        runners.add(startRunnerProcess(pipeline, "runner-" + i));
      }

      pipeline.submit("p1", spec());
      final List<StudyEvent> events = pipeline.eventsUntil("p1", S3CheckpointPipelineIT::lastRelease, STUDY_TIMEOUT);

      assertStudyResumedFromTheBucket(pipeline, events, "s3://processes/kasha/p1/");
      assertOnlyTheKeptCheckpointStays(events, "processes", "kasha/p1/");
      for (final Process runner : runners) {
        runner.destroy();
        assertThat(runner.waitFor(60, TimeUnit.SECONDS)).as("a runner stops on SIGTERM").isTrue();
      }
      try (Stream<Path> left = Files.list(home.resolve("cache"))) {
        assertThat(left).as("each runner deletes its local directory when it stops").isEmpty();
      }
      for (int i = 0; i < runners.size(); i++) {
        final String output = Files.readString(home.resolve("runner-" + i + ".out"))
            + Files.readString(home.resolve("runner-" + i + "/logs/kasha.log"));
        assertThat(output).contains("checkpoints in s3://processes/kasha/")
            .doesNotContain(S3TestServer.SECRET_KEY).doesNotContain(S3TestServer.ACCESS_KEY);
      }
    } finally {
      runners.forEach(Process::destroyForcibly);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static StudySpec spec() {
    final StudySpec.Builder spec = Pipeline.spec();
    final List<ParamSpec> params = new ArrayList<>(spec.getParams());
    params.add(ParamSpec.newBuilder().setName(BowlObjective.WEIGHTS_PARAM).setType(ParamType.CATEGORICAL)
        .setChoices(List.of((long) WEIGHTS_BYTES)).build());
    return spec.setParams(params).build();
  }

  /** The release of every checkpoint left when the study ends (one event for a study this small). */
  private static boolean lastRelease(final StudyEvent event) {
    return event.getType() == CHECKPOINTS_RELEASED && event.getReason() != null
        && event.getReason().startsWith("the study has ended");
  }

  /**
   * The study completed by the ASHA rule; every promoted job named an {@code s3://} checkpoint of the
   * study, and its segment read that checkpoint's resource and weights back.
   */
  private static void assertStudyResumedFromTheBucket(final Pipeline pipeline, final List<StudyEvent> events,
      final String studyUri) {
    assertThat(events).filteredOn(e -> e.getType() == STUDY_COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("COMPLETED"));
    assertThat(AshaAudit.check(events)).isEmpty();
    assertThat(events).filteredOn(e -> e.getType() == TRIAL_PROMOTED).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getReason()).doesNotContain("no checkpoint"));

    final Map<String, TrialJob> jobs = readAll(pipeline, pipeline.topics.trialJobs().name(),
        pipeline.topics.trialJobs().valueSerde().deserializer()).stream()
        .collect(Collectors.toMap(TrialJob::getJobId, Function.identity(), (first, again) -> first));
    final List<TrialJob> promoted = jobs.values().stream().filter(job -> job.getResourceFrom() > 0).toList();
    assertThat(promoted).hasSize((int) events.stream().filter(e -> e.getType() == TRIAL_PROMOTED).count())
        .allSatisfy(job -> assertThat(job.getCheckpointIn())
            .isEqualTo(studyUri + job.getTrialId() + "/" + job.getResourceFrom() + "/"));

    final List<TrialReport> completed = readAll(pipeline, pipeline.topics.trialReports().name(),
        pipeline.topics.trialReports().valueSerde().deserializer()).stream()
        .filter(report -> report.getKind() == ReportKind.SEGMENT_COMPLETED).toList();
    assertThat(completed).allSatisfy(report -> assertThat(report.getCheckpointUri()).startsWith(studyUri));
    assertThat(completed).filteredOn(report -> jobs.get(report.getJobId()).getResourceFrom() > 0)
        .hasSameSizeAs(promoted)
        .allSatisfy(report -> assertThat(report.getMetrics().get(BowlObjective.RESUMED_METRIC))
            .as("the resource the checkpoint of job %s held", report.getJobId())
            .isEqualTo((double) jobs.get(report.getJobId()).getResourceFrom()));
    System.out.printf("study at %s: %d checkpoints of %d KiB of weights saved, %d promotions resumed from one%n",
        studyUri, completed.size(), WEIGHTS_BYTES / 1024, promoted.size());
  }

  /**
   * Waits until the runners have deleted what the study released, then checks that the bucket holds
   * the checkpoint the study's last release kept (the best trial's last), and nothing else of the study.
   */
  private static void assertOnlyTheKeptCheckpointStays(final List<StudyEvent> events, final String bucket,
      final String studyKey) {
    final String kept = events.get(events.size() - 1).getKeptCheckpoint();
    assertThat(kept).startsWith("s3://" + bucket + "/" + studyKey);
    final String keptKey = kept.substring(("s3://" + bucket + "/").length());

    final long deadline = System.nanoTime() + STUDY_TIMEOUT.toNanos();
    List<S3Object> objects = objects(bucket, studyKey);
    while (objects.stream().anyMatch(object -> !object.key().startsWith(keptKey)) && System.nanoTime() < deadline) {
      sleep(200);
      objects = objects(bucket, studyKey);
    }
    final long bytes = objects.stream().mapToLong(S3Object::size).sum();
    System.out.printf("bucket %s after the study: %d object(s), %d bytes, all of %s%n", bucket, objects.size(), bytes,
        kept);
    assertThat(objects).extracting(S3Object::key).allMatch(key -> key.startsWith(keptKey))
        .contains(keptKey + "MANIFEST");
  }

  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The study's objects, without the directory markers that s3proxy's filesystem store lists. */
  private static List<S3Object> objects(final String bucket, final String prefix) {
    return server.client().listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
        .filter(object -> !object.key().endsWith("/")).toList();
  }

  /** Every committed record of {@code topic} written so far. */
  private static <V> List<V> readAll(final Pipeline pipeline, final String topic, final Deserializer<V> values) {
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      final List<V> records = new ArrayList<>();
      while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
        for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            records.add(record.value());
          }
        }
      }
      return records;
    }
  }

  /**
   * {@code kasha runner --checkpoint-store s3://processes/kasha} in a JVM of its own with the command's
   * own logging, the keys and the region in its environment as a user would set them.
   */
  private Process startRunnerProcess(final Pipeline pipeline, final String runnerId) throws Exception {
    final ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.kasha.schemas",
        "-Dlog4j2.configurationFile=" + Path.of("target", "classes", "log4j2.xml").toAbsolutePath(),
        "-Xmx384m",
        "-cp", System.getProperty("java.class.path"),
        "io.kasha.cli.Kasha", "runner", "--bootstrap-server", pipeline.bootstrap,
        "--topic-prefix", pipeline.name + ".", "--group-id", pipeline.name + "-runners", "--slots", "2",
        "--runner-id", runnerId,
        "--checkpoint-store", "s3://processes/kasha", "--s3-endpoint", server.endpoint().toString(), "--s3-path-style",
        "--checkpoint-cache", home.resolve("cache").toString());
    final Map<String, String> env = builder.environment();
    env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
    env.put("AWS_REGION", S3TestServer.REGION);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("KASHA_HOME", home.resolve(runnerId).toString());
    return builder.redirectErrorStream(true).redirectOutput(home.resolve(runnerId + ".out").toFile()).start();
  }
}
