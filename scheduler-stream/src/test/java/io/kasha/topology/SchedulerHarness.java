package io.kasha.topology;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.Topics;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The scheduler topology on a {@link TopologyTestDriver} with real RocksDB stores, with the runners'
 * side played by the test: it reads the emitted jobs and answers with reports.
 */
final class SchedulerHarness implements AutoCloseable {

  static final Topics TOPICS = Topics.defaults();
  /** The wall-clock time the driver starts at. */
  static final long START_MS = 1_000_000;

  final TopologyTestDriver driver;
  final TestInputTopic<String, StudyCommand> studies;
  final TestInputTopic<String, TrialReport> reports;
  final TestInputTopic<byte[], byte[]> rawStudies;
  final TestInputTopic<byte[], byte[]> rawReports;
  final TestOutputTopic<String, TrialJob> jobs;
  final TestOutputTopic<String, StudyEvent> eventsTopic;
  private final TestOutputTopic<String, StudyEvent> statusTopic;
  final List<StudyEvent> events = new ArrayList<>();

  SchedulerHarness(final Path stateDir) {
    this(stateDir, 1);
  }

  /** A harness whose scheduler takes its input topics to have {@code partitions} partitions (the driver has one). */
  SchedulerHarness(final Path stateDir, final int partitions) {
    this(stateDir, partitions, io.kasha.spec.Limits.DEFAULTS);
  }

  /** A harness whose scheduler has {@code limits}. */
  SchedulerHarness(final Path stateDir, final int partitions, final io.kasha.spec.Limits limits) {
    final Properties config = SchedulerApp.config("unused:9092", "kasha-test", stateDir, Map.of());
    driver = new TopologyTestDriver(SchedulerTopology.build(TOPICS, partitions, limits,
        SchedulerTopology.DEFAULT_PUNCTUATE_INTERVAL), config, Instant.ofEpochMilli(START_MS));
    studies = driver.createInputTopic(TOPICS.studies().name(), TOPICS.studies().keySerde().serializer(),
        TOPICS.studies().valueSerde().serializer());
    reports = driver.createInputTopic(TOPICS.trialReports().name(), TOPICS.trialReports().keySerde().serializer(),
        TOPICS.trialReports().valueSerde().serializer());
    rawStudies = driver.createInputTopic(TOPICS.studies().name(), new ByteArraySerializer(), new ByteArraySerializer());
    rawReports = driver.createInputTopic(TOPICS.trialReports().name(), new ByteArraySerializer(),
        new ByteArraySerializer());
    jobs = driver.createOutputTopic(TOPICS.trialJobs().name(), TOPICS.trialJobs().keySerde().deserializer(),
        TOPICS.trialJobs().valueSerde().deserializer());
    eventsTopic = driver.createOutputTopic(TOPICS.studyEvents().name(), TOPICS.studyEvents().keySerde().deserializer(),
        TOPICS.studyEvents().valueSerde().deserializer());
    statusTopic = driver.createOutputTopic(TOPICS.studyStatus().name(), TOPICS.studyStatus().keySerde().deserializer(),
        TOPICS.studyStatus().valueSerde().deserializer());
  }

  /** The records written to the study-status topic since the last call, as key and value. */
  List<org.apache.kafka.streams.KeyValue<String, StudyEvent>> takeStatus() {
    return statusTopic.readKeyValuesToList();
  }

  static StudySpec.Builder spec() {
    return StudySpec.newBuilder()
        .setName("test")
        .setMetric("loss")
        .setMode(Mode.MIN)
        .setEntrypoint("objective")
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setSampler(SamplerKind.RANDOM)
        .setSeed(3)
        .setMinResource(1)
        .setMaxResource(27)
        .setEta(3)
        .setParallelism(4)
        .setMaxTrials(27)
        .setLeaseMs(60_000)
        .setMaxAttempts(2);
  }

  void create(final String studyId, final StudySpec spec) {
    studies.pipeInput(studyId, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.CREATE)
        .setSpec(spec).build());
  }

  void stop(final String studyId) {
    studies.pipeInput(studyId, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.STOP)
        .setReason("user asked").build());
  }

  void extend(final String studyId, final Integer maxTrials, final Long maxDurationMs) {
    studies.pipeInput(studyId, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.EXTEND)
        .setMaxTrials(maxTrials).setMaxDurationMs(maxDurationMs).setReason("more budget").build());
  }

  List<TrialJob> takeJobs() {
    return jobs.readValuesToList();
  }

  List<StudyEvent> drainEvents() {
    final List<StudyEvent> fresh = eventsTopic.readValuesToList();
    events.addAll(fresh);
    return fresh;
  }

  List<StudyEvent> events(final io.kasha.schemas.EventType type) {
    drainEvents();
    return events.stream().filter(e -> type == null || e.getType() == type).toList();
  }

  static TrialReport completed(final TrialJob job, final double metric) {
    return TrialReport.newBuilder()
        .setStudyId(job.getStudyId()).setTrialId(job.getTrialId()).setJobId(job.getJobId())
        .setKind(ReportKind.SEGMENT_COMPLETED).setResource(job.getResourceTo())
        .setMetrics(Map.of("loss", metric))
        .setCheckpointUri("file:///ckpt/" + job.getTrialId() + "/" + job.getResourceTo())
        .build();
  }

  void complete(final TrialJob job, final double metric) {
    reports.pipeInput(job.getStudyId(), completed(job, metric));
  }

  /** Completes the job reporting every metric given, for studies with several objectives. */
  void complete(final TrialJob job, final Map<String, Double> metrics) {
    reports.pipeInput(job.getStudyId(), TrialReport.newBuilder(completed(job, Double.NaN)).setMetrics(metrics).build());
  }

  /** As {@link #runToCompletion(ToDoubleFunction, java.util.function.UnaryOperator)}, reporting several metrics. */
  void runToCompletionWith(final java.util.function.Function<TrialJob, Map<String, Double>> objective) {
    List<TrialJob> pending = new ArrayList<>(takeJobs());
    while (!pending.isEmpty()) {
      final TrialJob next = pending.remove(0);
      complete(next, objective.apply(next));
      pending.addAll(takeJobs());
    }
    drainEvents();
  }

  /**
   * Plays runners until no job is left: each round completes the pending jobs in the order given by
   * {@code order} (e.g. a shuffle), with the metric {@code objective} gives the job.
   */
  void runToCompletion(final ToDoubleFunction<TrialJob> objective,
      final java.util.function.UnaryOperator<List<TrialJob>> order) {
    List<TrialJob> pending = new ArrayList<>(takeJobs());
    while (!pending.isEmpty()) {
      final TrialJob next = order.apply(pending).get(0);
      pending.remove(next);
      complete(next, objective.applyAsDouble(next));
      pending.addAll(takeJobs());
    }
    drainEvents();
  }

  /** The scheduler's ignored-reports-total metric, summed over tasks. */
  double ignoredReports() {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("ignored-reports-total"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  void advance(final Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  @Override
  public void close() {
    driver.close();
  }
}
