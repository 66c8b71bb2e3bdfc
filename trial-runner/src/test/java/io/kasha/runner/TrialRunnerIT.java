package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.objective.HalvingObjective;
import io.kasha.objective.Objective;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.objective.TrialContext;
import io.kasha.process.ProcessEntrypoint;
import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runners against a real single-node KRaft broker: jobs in, reports out, locks renewed, released
 * jobs delivered again. The acquisition lock is 6 s here, a fifth of the default, so that a job
 * outlives it within seconds, yet renewed every 500 ms it survives a stall of several seconds on a
 * loaded machine: a lost renewal shows, a slow one does not.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TrialRunnerIT {

  private static final Duration LOCK = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SCRIPTS = scripts();

  private static KafkaClusterTestKit cluster;
  private static Admin admin;

  @TempDir Path folder;

  private Topics topics;
  private String groupId;
  private final List<TrialRunner> runners = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "1")
        .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
        .setConfigProp("share.coordinator.state.topic.min.isr", "1")
        .setConfigProp("share.coordinator.state.topic.num.partitions", "1")
        .setConfigProp("group.share.min.record.lock.duration.ms", "1000")
        .setConfigProp("group.share.record.lock.duration.ms", Long.toString(LOCK.toMillis()))
        .setConfigProp("group.share.min.heartbeat.interval.ms", "500")
        .setConfigProp("group.share.heartbeat.interval.ms", "500")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopRunners() throws Exception {
    for (final TrialRunner runner : runners) {
      runner.close();
    }
  }

  private void createTopics(final TestInfo test) throws Exception {
    final String name = test.getTestMethod().orElseThrow().getName();
    topics = Topics.withPrefix("it-" + name + ".");
    groupId = "runners-" + name;
    admin.createTopics(List.of(
        new NewTopic(topics.trialJobs().name(), 1, (short) 1),
        new NewTopic(topics.trialReports().name(), 1, (short) 1),
        new NewTopic(topics.studyEvents().name(), 1, (short) 1))).all().get();
  }

  @Test
  void runsJobsInTwoSlotsAndReportsEachFromStartToCompletion(final TestInfo test) throws Exception {
    createTopics(test);
    final Path file = folder.resolve("entrypoints.yaml");
    Files.writeString(file, "entrypoints:\n  train:\n    argv: [python3, train.py]\n    workdir: " + SCRIPTS + "\n");
    final List<TrialJob> trainJobs = List.of(
        job("train-1", "train", Map.of("lr", 1.0, "step_seconds", 0.4), 0, 4),
        job("train-2", "train", Map.of("lr", 2.0, "step_seconds", 0.4), 0, 4),
        job("train-3", "train", Map.of("lr", 4.0, "step_seconds", 0.4), 0, 4));
    final TrialJob objectiveJob = job("halving", HalvingObjective.NAME, Map.of("lr", 1.0), 0, 2);
    final TrialJob unknownJob = job("unknown", "not-registered", Map.of(), 0, 1);
    publish(trainJobs);
    publish(List.of(objectiveJob, unknownJob));
    final TrialRunner runner = runner(EntrypointRegistry.load(file), "runner-a", b -> b.slots(2).maxJobs(5));

    final CompletableFuture<Void> running = CompletableFuture.runAsync(runner::run);

    running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(runner.jobsDone()).isEqualTo(5);
    final List<TrialReport> reports = awaitReports(all -> finals(all).size() == 5);
    assertThat(reports).allSatisfy(report -> assertThat(report.getRunnerId()).isEqualTo("runner-a"));
    for (final TrialJob job : trainJobs) {
      assertThat(kinds(reports, job.getJobId())).containsExactly(ReportKind.STARTED,
          ReportKind.PROGRESS, ReportKind.PROGRESS, ReportKind.PROGRESS, ReportKind.PROGRESS,
          ReportKind.SEGMENT_COMPLETED);
      final TrialReport completed = last(reports, job.getJobId());
      assertThat(completed.getResource()).isEqualTo(4L);
      assertThat(completed.getMetrics()).containsEntry("loss", ((Double) job.getParams().get("lr")) / 16);
      assertThat(Path.of(URI.create(completed.getCheckpointUri())).resolve("loss.txt")).exists();
    }
    assertThat(kinds(reports, objectiveJob.getJobId())).containsExactly(
        ReportKind.STARTED, ReportKind.PROGRESS, ReportKind.PROGRESS, ReportKind.SEGMENT_COMPLETED);
    assertThat(last(reports, objectiveJob.getJobId()).getMetrics()).containsEntry("loss", 0.25);
    assertThat(kinds(reports, unknownJob.getJobId())).containsExactly(ReportKind.SEGMENT_FAILED);
    assertThat(last(reports, unknownJob.getJobId()).getFailureKind()).isEqualTo(FailureKind.UNKNOWN_ENTRYPOINT);
    assertThat(mostJobsRunningAtOnce(reports)).isLessThanOrEqualTo(2);
  }

  @Test
  void twoSlotsRunTwoJobsAtOnce(final TestInfo test) throws Exception {
    createTopics(test);
    // each job waits until the other one runs too: run one after the other, the first would fail
    final CountDownLatch bothRunning = new CountDownLatch(2);
    final Objective meeting = new Objective() {
      @Override
      public String name() {
        return "meeting";
      }

      @Override
      public void run(final TrialContext context) throws InterruptedException {
        bothRunning.countDown();
        if (!bothRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the other job never ran beside this one");
        }
        context.report(context.resourceTo(), Map.of("loss", 1.0));
      }
    };
    final List<TrialJob> jobs = List.of(job("meet-1", "meeting", Map.of(), 0, 1), job("meet-2", "meeting", Map.of(), 0, 1));
    publish(jobs);
    final TrialRunner runner = runner(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(meeting))), "runner-a",
        b -> b.slots(2).maxJobs(2));

    runner.run();

    assertThat(runner.jobsDone()).isEqualTo(2);
    final List<TrialReport> reports = awaitReports(all -> finals(all).size() == 2);
    for (final TrialJob job : jobs) {
      assertThat(kinds(reports, job.getJobId())).containsExactly(ReportKind.STARTED, ReportKind.PROGRESS,
          ReportKind.SEGMENT_COMPLETED);
    }
  }

  @Test
  void keepsARunningJobLockedAndReleasesItOnStopForAnotherRunner(final TestInfo test) throws Exception {
    createTopics(test);
    final TrialJob slow = job("slow", "train", Map.of("lr", 1.0), 0, 30);
    final TrialJob quick = job("quick", "train", Map.of("lr", 1.0), 0, 1);
    final TrialRunner first = runner(registry(Map.of("STEP_SECONDS", "1")), "runner-a", b -> b);
    final TrialRunner second = runner(registry(Map.of()), "runner-b", b -> b.maxJobs(2));
    publish(List.of(slow));
    final CompletableFuture<Void> firstRunning = CompletableFuture.runAsync(first::run);
    awaitReports(all -> has(all, slow, ReportKind.STARTED, "runner-a"));

    publish(List.of(quick));
    final CompletableFuture<Void> secondRunning = CompletableFuture.runAsync(second::run);
    awaitReports(all -> has(all, quick, ReportKind.SEGMENT_COMPLETED, "runner-b"));
    final List<TrialReport> whileHeld = awaitReports(all -> all.stream().anyMatch(report ->
        report.getJobId().equals(slow.getJobId()) && report.getResource() >= 2 * LOCK.toSeconds()));
    assertThat(whileHeld).noneMatch(report ->
        report.getJobId().equals(slow.getJobId()) && "runner-b".equals(report.getRunnerId()));

    first.stop();
    firstRunning.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    secondRunning.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    final List<TrialReport> reports = awaitReports(all -> has(all, slow, ReportKind.SEGMENT_COMPLETED, "runner-b"));
    assertThat(reports).filteredOn(report -> report.getJobId().equals(slow.getJobId()) && report.getRunnerId().equals("runner-a"))
        .extracting(TrialReport::getKind)
        .doesNotContain(ReportKind.SEGMENT_COMPLETED, ReportKind.SEGMENT_FAILED);
    assertThat(last(reports, slow.getJobId()).getResource()).isEqualTo(30L);
    assertThat(first.jobsDone()).isZero();
    assertThat(second.jobsDone()).isEqualTo(2);
  }

  @Test
  void jobsQueuedBehindALongJobAreFirstDeliveriesWhenTheirTurnComes(final TestInfo test) throws Exception {
    createTopics(test);
    // 24 steps of 0.5 s: the slow job runs for two lock durations
    final TrialJob slow = job("slow", "train", Map.of("lr", 1.0, "step_seconds", 0.5), 0, 24);
    final List<TrialJob> queued = List.of(
        job("queued-1", "train", Map.of("lr", 1.0), 0, 1),
        job("queued-2", "train", Map.of("lr", 2.0), 0, 1),
        job("queued-3", "train", Map.of("lr", 4.0), 0, 1),
        job("queued-4", "train", Map.of("lr", 8.0), 0, 1));
    final TrialRunner runner = runner(registry(Map.of()), "runner-a", b -> b.maxJobs(1 + queued.size()));
    publish(List.of(slow));
    final CompletableFuture<Void> running = CompletableFuture.runAsync(runner::run);
    awaitReports(all -> has(all, slow, ReportKind.STARTED, "runner-a"));

    publish(queued);

    running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(runner.jobsDone()).isEqualTo(1 + queued.size());
    final List<TrialReport> reports = awaitReports(all -> finals(all).size() == 1 + queued.size());
    assertThat(last(reports, slow.getJobId()).getResource()).isEqualTo(24L);
    assertThat(reports.stream().filter(report -> report.getJobId().equals(slow.getJobId())
        && report.getKind() == ReportKind.PROGRESS).count())
        .as("the slow job ran for two lock durations").isEqualTo(24);
    for (final TrialJob job : queued) {
      assertThat(kinds(reports, job.getJobId())).containsExactly(
          ReportKind.STARTED, ReportKind.PROGRESS, ReportKind.SEGMENT_COMPLETED);
    }
    assertThat(runner.jobsTaken()).as("jobs taken, each once").isEqualTo(1 + queued.size());
    assertThat(runner.redeliveredJobsTaken()).as("jobs taken from a record delivered before").isZero();
    assertThat(runner.recordsReleased()).as("records released while the slot was busy").isZero();
    assertThat(runner.failedAcknowledgements()).as("acknowledgements refused, as for a record whose lock ran out")
        .isZero();
  }

  @Test
  void skipsUndecodableRecordsAndRunsTheJobsAfterThem(final TestInfo test) throws Exception {
    createTopics(test);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", cluster.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.trialJobs().name(), "x".getBytes(), "not avro at all".getBytes())).get();
      producer.send(new ProducerRecord<>(topics.trialJobs().name(), "y".getBytes(), null)).get();
    }
    final TrialJob job = job("after-garbage", HalvingObjective.NAME, Map.of("lr", 1.0), 0, 1);
    publish(List.of(job));
    final TrialRunner runner = runner(EntrypointRegistry.discover(), "runner-a", b -> b.maxJobs(1));

    runner.run();

    assertThat(runner.jobsDone()).isEqualTo(1);
    assertThat(kinds(awaitReports(all -> finals(all).size() == 1), job.getJobId()))
        .containsExactly(ReportKind.STARTED, ReportKind.PROGRESS, ReportKind.SEGMENT_COMPLETED);
  }

  @Test
  void exitsWhenIdleAfterItsLastJobAndLeavesTheGroupConfigured(final TestInfo test) throws Exception {
    createTopics(test);
    final TrialJob job = job("only", HalvingObjective.NAME, Map.of("lr", 1.0), 0, 1);
    publish(List.of(job));
    // idle for far longer than the runner takes to start and join its group, however loaded the machine
    final TrialRunner runner = runner(EntrypointRegistry.discover(), "runner-a", b -> b.exitWhenIdle(Duration.ofSeconds(10)));

    runner.run();

    assertThat(runner.jobsDone()).isEqualTo(1);
    final ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    final Config config = admin.describeConfigs(List.of(group)).all().get().get(group);
    ShareGroupSettings.REQUIRED.forEach((name, value) -> assertThat(config.get(name).value()).as(name).isEqualTo(value));
  }

  @Test
  void aStudyThatEndsHasItsRunningJobCancelledAndItsQueuedJobsDropped(final TestInfo test) throws Exception {
    createTopics(test);
    final TrialJob slow = job("slow", "train", Map.of("lr", 1.0), 0, 30);
    final TrialJob queued = job("queued", "train", Map.of("lr", 1.0), 0, 1);
    final TrialJob otherStudy = TrialJob.newBuilder(job("other", "train", Map.of("lr", 1.0), 0, 1))
        .setStudyId("study-2").build();
    final TrialRunner runner = runner(registry(Map.of("STEP_SECONDS", "1")), "runner-a", b -> b);
    publish(List.of(slow));
    CompletableFuture.runAsync(runner::run);
    awaitReports(all -> has(all, slow, ReportKind.STARTED, "runner-a"));

    publish(List.of(queued, otherStudy));
    publishEvent(StudyEvent.newBuilder().setStudyId("study-1").setSeq(9).setType(EventType.STUDY_COMPLETED)
        .setStatus("STOPPED").build());

    final List<TrialReport> reports = awaitReports(all -> has(all, otherStudy, ReportKind.SEGMENT_COMPLETED, "runner-a")
        && has(all, slow, ReportKind.SEGMENT_FAILED, "runner-a"));
    assertThat(last(reports, slow.getJobId()).getFailureKind()).isEqualTo(FailureKind.CANCELLED);
    assertThat(last(reports, slow.getJobId()).getResource()).isLessThan(30);
    assertThat(kinds(reports, queued.getJobId())).isEmpty();
  }

  @Test
  void aRunnerStartedAfterAStudyEndedDropsItsQueuedJobsFromTheStatusTopic(final TestInfo test) throws Exception {
    createTopics(test);
    admin.createTopics(List.of(new NewTopic(topics.studyStatus().name(), 1, (short) 1)
        .configs(Map.of("cleanup.policy", "compact")))).all().get();
    final TrialJob queued = job("queued", HalvingObjective.NAME, Map.of("lr", 1.0), 0, 1);
    final TrialJob otherStudy = TrialJob.newBuilder(job("other", HalvingObjective.NAME, Map.of("lr", 1.0), 0, 1))
        .setStudyId("study-2").build();
    publish(List.of(queued, otherStudy));
    // the study ended while no runner was up: only the status topic says so
    publishStatus(StudyEvent.newBuilder().setStudyId("study-1").setSeq(3).setType(EventType.STUDY_ACCEPTED).build());
    publishStatus(StudyEvent.newBuilder().setStudyId("study-1").setSeq(9).setType(EventType.STUDY_COMPLETED)
        .setStatus("STOPPED").build());
    // one job to run: the runner ends once it has run it, having dropped the queued job (offset 0) first
    final TrialRunner runner = runner(EntrypointRegistry.discover(), "runner-late", b -> b.maxJobs(1));

    runner.run();

    final List<TrialReport> reports = awaitReports(all -> has(all, otherStudy, ReportKind.SEGMENT_COMPLETED, "runner-late"));
    assertThat(kinds(reports, queued.getJobId())).isEmpty();
    assertThat(runner.jobsDone()).isEqualTo(1);
    // the dropped job (offset 0) was taken and accepted, not left queued: the group's start offset is past it
    final TopicPartition jobs = new TopicPartition(topics.trialJobs().name(), 0);
    final long start = admin.listShareGroupOffsets(Map.of(groupId, new ListShareGroupOffsetsSpec()))
        .partitionsToOffsetInfo(groupId).get().get(jobs).startOffset();
    assertThat(start).isGreaterThanOrEqualTo(1);
  }

  private void publishStatus(final StudyEvent event) throws Exception {
    try (KafkaProducer<String, StudyEvent> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        topics.studyStatus().keySerde().serializer(), topics.studyStatus().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.studyStatus().name(), event.getStudyId(), event)).get();
    }
  }

  private void publishEvent(final StudyEvent event) throws Exception {
    try (KafkaProducer<String, StudyEvent> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        topics.studyEvents().keySerde().serializer(), topics.studyEvents().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.studyEvents().name(), event.getStudyId(), event)).get();
    }
  }

  private TrialRunner runner(
      final EntrypointRegistry registry,
      final String runnerId,
      final UnaryOperator<RunnerConfig.Builder> settings) {
    final RunnerConfig config = settings.apply(RunnerConfig
            .builder(cluster.bootstrapServers(), registry, new DirectoryCheckpointStore(folder.resolve("checkpoints")))
            .topics(topics)
            .groupId(groupId)
            .runnerId(runnerId)
            .renewInterval(Duration.ofMillis(500)))
        .build();
    final TrialRunner runner = new TrialRunner(config);
    runners.add(runner);
    return runner;
  }

  private static EntrypointRegistry registry(final Map<String, String> env) {
    return EntrypointRegistry.of(List.of(
        new ProcessEntrypoint("train", List.of("python3", "train.py"), SCRIPTS, env, Duration.ofMinutes(1))));
  }

  private TrialJob job(
      final String jobId, final String entrypoint, final Map<String, Object> params, final long from, final long to) {
    return TrialJob.newBuilder()
        .setJobId(jobId)
        .setStudyId("study-1")
        .setTrialId("trial-" + jobId)
        .setEntrypoint(entrypoint)
        .setParams(new HashMap<>(params))
        .setMetric("loss")
        .setResourceFrom(from)
        .setResourceTo(to)
        .setRung(0)
        .build();
  }

  private void publish(final List<TrialJob> jobs) throws Exception {
    try (KafkaProducer<String, TrialJob> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        topics.trialJobs().keySerde().serializer(), topics.trialJobs().valueSerde().serializer())) {
      for (final TrialJob job : jobs) {
        producer.send(new ProducerRecord<>(topics.trialJobs().name(), job.getTrialId(), job)).get();
      }
    }
  }

  /** Reads the reports topic from the start until {@code done} holds for everything read. */
  private List<TrialReport> awaitReports(final Predicate<List<TrialReport>> done) {
    final TopicPartition partition = new TopicPartition(topics.trialReports().name(), 0);
    final List<TrialReport> reports = new ArrayList<>();
    try (KafkaConsumer<String, TrialReport> consumer = new KafkaConsumer<>(
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        topics.trialReports().keySerde().deserializer(), topics.trialReports().valueSerde().deserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      final long deadline = System.nanoTime() + WAIT.toNanos();
      while (!done.test(reports)) {
        assertThat(System.nanoTime()).as("reports so far: %s", reports).isLessThan(deadline);
        for (final ConsumerRecord<String, TrialReport> record : consumer.poll(Duration.ofMillis(200))) {
          assertThat(record.key()).isEqualTo(record.value().getStudyId());
          reports.add(record.value());
        }
      }
    }
    return reports;
  }

  private static boolean has(final List<TrialReport> reports, final TrialJob job, final ReportKind kind, final String runnerId) {
    return reports.stream().anyMatch(report -> report.getJobId().equals(job.getJobId())
        && report.getKind() == kind && runnerId.equals(report.getRunnerId()));
  }

  private static List<TrialReport> finals(final List<TrialReport> reports) {
    return reports.stream()
        .filter(report -> report.getKind() == ReportKind.SEGMENT_COMPLETED || report.getKind() == ReportKind.SEGMENT_FAILED)
        .toList();
  }

  private static List<ReportKind> kinds(final List<TrialReport> reports, final String jobId) {
    return reports.stream().filter(report -> report.getJobId().equals(jobId)).map(TrialReport::getKind).toList();
  }

  private static TrialReport last(final List<TrialReport> reports, final String jobId) {
    final List<TrialReport> ofJob = reports.stream().filter(report -> report.getJobId().equals(jobId)).toList();
    return ofJob.get(ofJob.size() - 1);
  }

  /** The most jobs between their STARTED and final reports at the same point of the report log. */
  private static int mostJobsRunningAtOnce(final List<TrialReport> reports) {
    int running = 0;
    int most = 0;
    for (final TrialReport report : reports) {
      if (report.getKind() == ReportKind.STARTED) {
        most = Math.max(most, ++running);
      } else if (report.getKind() == ReportKind.SEGMENT_COMPLETED || report.getKind() == ReportKind.SEGMENT_FAILED) {
        running--;
      }
    }
    return most;
  }

  private static Path scripts() {
    try {
      return Path.of(TrialRunnerIT.class.getResource("/scripts").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
