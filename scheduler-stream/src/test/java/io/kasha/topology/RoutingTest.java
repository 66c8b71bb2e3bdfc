package io.kasha.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitioning check on the topology: the driver delivers every record on partition 0, so with four
 * partitions a study whose id maps elsewhere arrives "on the wrong partition", as a study written by
 * librdkafka's default partitioner does on a real cluster (proved there by the cli's kcat test).
 */
class RoutingTest {

  @TempDir
  Path stateDir;

  @Test
  void mapsAStudyIdWhereKafkasDefaultPartitionerPutsItsKey() {
    for (int i = 0; i < 200; i++) {
      final String id = "study-" + i;
      for (final int partitions : new int[] {1, 3, 4, 12}) {
        assertThat(Routing.partitionOf(id, partitions))
            .isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }

  @Test
  void handlesHereWhatIsOnItsPartitionOrWasForwardedOnce() {
    final Routing routing = new Routing(4);
    final String id = idOnPartition(2, 4);
    assertThat(routing.forwardTo(id, 2, new RecordHeaders())).isEqualTo(-1);
    assertThat(routing.forwardTo(id, 0, new RecordHeaders())).isEqualTo(2);
    final RecordHeaders forwarded = new RecordHeaders();
    forwarded.add(Routing.ROUTED_FROM, "kasha.studies:0".getBytes(StandardCharsets.UTF_8));
    assertThat(routing.forwardTo(id, 0, forwarded)).isEqualTo(-1);
    assertThat(new Routing(1).forwardTo(id, 0, new RecordHeaders())).isEqualTo(-1);
  }

  @Test
  void aStudyOnAnotherPartitionIsForwardedHomeOnceAndRunsToItsEnd() {
    final String studyId = idOnPartition(3, 4);
    try (SchedulerHarness harness = new SchedulerHarness(stateDir, 4)) {
      final TestOutputTopic<String, StudyCommand> studies = harness.driver.createOutputTopic(
          SchedulerHarness.TOPICS.studies().name(), SchedulerHarness.TOPICS.studies().keySerde().deserializer(),
          SchedulerHarness.TOPICS.studies().valueSerde().deserializer());
      // keyed by something else than the study id, on partition 0: forwarded under the study id
      harness.studies.pipeInput("not-the-study-id", StudyCommand.newBuilder()
          .setStudyId(studyId).setAction(io.kasha.schemas.StudyAction.CREATE)
          .setSpec(SchedulerHarness.spec().setMaxTrials(9).build()).build());
      final List<TestRecord<String, StudyCommand>> forwarded = studies.readRecordsToList();
      assertThat(forwarded).singleElement().satisfies(r -> {
        assertThat(r.key()).isEqualTo(studyId);
        assertThat(new String(r.headers().lastHeader(Routing.ROUTED_FROM).value(), StandardCharsets.UTF_8))
            .isEqualTo("kasha.studies:0");
      });
      // the driver feeds what is written to an input topic back in, as the broker would on partition 3
      harness.runToCompletion(job -> 0.5, pending -> pending);
      final List<StudyEvent> events = harness.events(null);
      assertThat(events).extracting(StudyEvent::getType).contains(EventType.STUDY_ACCEPTED, EventType.STUDY_COMPLETED);
      assertThat(events.stream().filter(e -> e.getType() == EventType.STUDY_ACCEPTED)).hasSize(1);
      assertThat(harness.ignoredReports()).isZero();
      assertThat(metric(harness, "routed-records-total")).isGreaterThanOrEqualTo(2.0);
    }
  }

  @Test
  void aReportForAStudyTheTaskNeverHadIsCounted() {
    try (SchedulerHarness harness = new SchedulerHarness(stateDir)) {
      harness.reports.pipeInput("ghost", SchedulerHarness.completed(TrialJob.newBuilder()
          .setJobId("ghost-t0-r0-a1").setStudyId("ghost").setTrialId("ghost-t0").setEntrypoint("objective")
          .setParams(java.util.Map.of()).setMetric("loss").setResourceName("epochs").setResourceFrom(0)
          .setResourceTo(1).setRung(0).setAttempt(1).setLeaseMs(60_000).build(), 0.5));
      assertThat(metric(harness, "unknown-study-reports-total")).isEqualTo(1.0);
      assertThat(harness.ignoredReports()).isEqualTo(1.0);
    }
  }

  private static double metric(final SchedulerHarness harness, final String name) {
    return harness.driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  /** A study id that maps to {@code partition} of {@code partitions}. */
  static String idOnPartition(final int partition, final int partitions) {
    return IntStream.range(0, 10_000).mapToObj(i -> "routed-" + i)
        .filter(id -> Routing.partitionOf(id, partitions) == partition).findFirst().orElseThrow();
  }
}
