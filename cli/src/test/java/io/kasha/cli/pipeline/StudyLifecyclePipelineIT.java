package io.kasha.cli.pipeline;

import static io.kasha.schemas.EventType.CHECKPOINTS_RELEASED;
import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.STUDY_EXTENDED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.cli.StudyCommands;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialReport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study's lifecycle through the broker, the scheduler and runners: stopping a study ends its
 * running trials and drops its queued jobs, extending one creates more trials, and an ended study's
 * checkpoints are deleted but the best trial's last.
 */
class StudyLifecyclePipelineIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path home;

  @Test
  void stoppingAStudyCancelsItsRunningTrialsAndNoQueuedJobRuns() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "life-stop", home);
        KafkaConsumer<String, TrialReport> reports = reportsConsumer(pipeline)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(1);
      // rung-0 jobs of 600 units at 1 s each: none can complete while the test runs; one runs, one is queued
      pipeline.submit("slow", Pipeline.spec().setMinResource(600).setMaxResource(1800).setParallelism(2)
          .setParams(List.of(Pipeline.spec().getParams().get(0), Pipeline.sleepMs(1_000))).build());
      final List<TrialReport> seen = new ArrayList<>();
      awaitReports(reports, seen, all -> all.stream().filter(r -> r.getKind() == ReportKind.STARTED).count() == 1);

      StudyCommands.stop(pipeline.bootstrap, pipeline.topics, "slow", "test stops it");

      awaitReports(reports, seen, all -> all.stream().filter(r -> r.getKind() == ReportKind.SEGMENT_FAILED).count() == 1);
      final Set<String> started = jobIds(seen, ReportKind.STARTED);
      final List<StudyEvent> log = pipeline.awaitEnd("slow", TIMEOUT);
      assertThat(seen).as("reports %s, events %s", seen, log).filteredOn(r -> r.getKind() == ReportKind.SEGMENT_FAILED)
          .extracting(TrialReport::getJobId, TrialReport::getFailureKind)
          .containsExactlyInAnyOrderElementsOf(started.stream()
              .map(id -> org.assertj.core.groups.Tuple.tuple(id, FailureKind.CANCELLED)).toList());
      assertThat(seen).noneMatch(r -> r.getKind() == ReportKind.SEGMENT_COMPLETED);
      assertThat(seen).filteredOn(r -> r.getKind() == ReportKind.PROGRESS)
          .allSatisfy(r -> assertThat(r.getResource()).isLessThan(600));

      // a later study's jobs are taken after the stopped study's queued one was delivered
      pipeline.submit("after", Pipeline.spec().setMaxResource(1).setMaxTrials(8).build());
      pipeline.awaitEnd("after", TIMEOUT);
      awaitReports(reports, seen, all -> all.stream().filter(r -> r.getStudyId().equals("after")
          && r.getKind() == ReportKind.SEGMENT_COMPLETED).count() == 8);
      assertThat(seen).filteredOn(r -> r.getStudyId().equals("slow") && r.getKind() == ReportKind.STARTED)
          .extracting(TrialReport::getJobId).containsExactlyInAnyOrderElementsOf(started);
      assertThat(log).last().satisfies(e -> assertThat(e.getStatus()).isEqualTo("STOPPED"));
    }
  }

  @Test
  void extendingARunningStudyCreatesMoreTrialsAndItsEndDeletesAllButTheBestCheckpoint() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "life-extend", home)) {
      pipeline.startScheduler(home.resolve("state"));
      // five slots for three jobs at once: the two promoted jobs held at the gate never leave a rung-0 job
      // without a free slot, even one the share consumer of a held slot acquired beside its own job (it
      // goes to another slot once its acquisition lock expires)
      pipeline.startRunner(5);
      // promoted segments wait at the gate until every trial has reported at rung 0: when the last one
      // does, a promoted job is still running, so rung 0 closes before the study ends, however fast each
      // job. The two promotions rung 0 makes before its 7th result leave a third job for new trials.
      pipeline.submit("grow", Pipeline.spec().setMaxTrials(3).setParallelism(3)
          .setParams(List.of(Pipeline.spec().getParams().get(0), Pipeline.sleepMs(1_500), Pipeline.gate("grow")))
          .build());
      pipeline.eventsUntil("grow", e -> e.getType() == TRIAL_CREATED, TIMEOUT);

      StudyCommands.extend(pipeline.bootstrap, pipeline.topics, "grow", 7, null, "test wants more");
      final int[] rungZeroResults = {0};
      pipeline.eventsUntil("grow", e -> e.getType() == RUNG_RESULT && e.getRung() == 0 && ++rungZeroResults[0] == 7,
          TIMEOUT);
      BowlObjective.open("grow");

      final List<StudyEvent> events = pipeline.eventsUntil("grow", e -> e.getType() == CHECKPOINTS_RELEASED
          && e.getReason().startsWith("the study has ended"), TIMEOUT);
      assertThat(events).filteredOn(e -> e.getType() == STUDY_EXTENDED).singleElement()
          .satisfies(e -> assertThat(e.getReason()).contains("trial budget 3 -> 7"));
      assertThat(events).filteredOn(e -> e.getType() == TRIAL_CREATED).hasSize(7);
      final StudyEvent completed = events.stream().filter(e -> e.getType() == STUDY_COMPLETED).findFirst()
          .orElseThrow();
      assertThat(completed.getStatus()).isEqualTo("COMPLETED");
      // rung 0 closed once the 7th trial reported: its unpromoted trials were released before the end
      assertThat(events.subList(0, events.indexOf(completed))).filteredOn(e -> e.getType() == CHECKPOINTS_RELEASED)
          .first().satisfies(e -> assertThat(e.getReason()).startsWith("rung 0 is closed"));
      final StudyEvent released = events.get(events.size() - 1);
      final Path kept = Path.of(URI.create(released.getKeptCheckpoint()));
      assertThat(kept.getParent().getFileName().toString()).isEqualTo(completed.getTrialId());

      final Path studyDir = home.resolve("checkpoints").resolve("grow");
      await(() -> storedCheckpoints(studyDir).equals(List.of(kept)), "only the best trial's last checkpoint left, "
          + "not " + storedCheckpoints(studyDir));
      assertThat(kept.resolve("resource")).hasContent(Long.toString(completed.getResource()));
    }
  }

  @Test
  void aStudyThatKeepsCheckpointsKeepsThemAll() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "life-keep", home)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(2);
      pipeline.submit("keep", Pipeline.spec().setMaxTrials(6).setKeepCheckpoints(true).build());

      final List<StudyEvent> events = pipeline.awaitEnd("keep", TIMEOUT);

      final long results = events.stream().filter(e -> e.getType() == io.kasha.schemas.EventType.RUNG_RESULT).count();
      assertThat(storedCheckpoints(home.resolve("checkpoints").resolve("keep"))).hasSize((int) results);
    }
  }

  private static List<Path> storedCheckpoints(final Path studyDir) {
    if (!Files.isDirectory(studyDir)) {
      return List.of();
    }
    try (Stream<Path> trials = Files.list(studyDir)) {
      return trials.flatMap(trial -> {
        try (Stream<Path> checkpoints = Files.list(trial)) {
          return checkpoints.toList().stream();
        } catch (java.io.IOException e) {
          return Stream.empty();
        }
      }).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + TIMEOUT + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  private static Set<String> jobIds(final List<TrialReport> reports, final ReportKind kind) {
    return reports.stream().filter(r -> r.getKind() == kind).map(TrialReport::getJobId).collect(Collectors.toSet());
  }

  private static KafkaConsumer<String, TrialReport> reportsConsumer(final Pipeline pipeline) {
    final KafkaConsumer<String, TrialReport> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), pipeline.topics.trialReports().valueSerde().deserializer());
    consumer.assign(consumer.partitionsFor(pipeline.topics.trialReports().name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
    return consumer;
  }

  /** Reads reports into {@code seen} until {@code done} holds for everything read. */
  private static void awaitReports(final KafkaConsumer<String, TrialReport> consumer, final List<TrialReport> seen,
      final Predicate<List<TrialReport>> done) {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.test(seen)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("reports not as awaited within " + TIMEOUT + ": " + seen);
      }
      for (final ConsumerRecord<String, TrialReport> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.value() != null) {
          seen.add(record.value());
        }
      }
    }
  }
}
