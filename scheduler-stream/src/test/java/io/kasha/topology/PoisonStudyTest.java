package io.kasha.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.spec.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-valid study that once wedged a partition ({@code parallelism: 1000000}, {@code maxTrials:
 * 2147483647}) beside a normal study on the same partition: with the default limits it is rejected,
 * naming each limit; with limits raised to let it in, it runs a batch of decisions per record and per
 * punctuation, and the normal study still runs to its end.
 */
class PoisonStudyTest {

  @TempDir
  Path stateDir;

  private static final int BATCH = Limits.DEFAULTS.batch();

  @Test
  void withTheDefaultLimitsThePoisonStudyIsRejectedAndTheOtherCompletes() {
    try (SchedulerHarness harness = new SchedulerHarness(stateDir)) {
      harness.create("poison", SchedulerHarness.spec().setParallelism(1_000_000).setMaxTrials(Integer.MAX_VALUE)
          .build());
      harness.create("normal", SchedulerHarness.spec().build());
      harness.runToCompletion(job -> 0.5, pending -> pending);
      assertThat(harness.events(EventType.STUDY_REJECTED)).singleElement().satisfies(e -> {
        assertThat(e.getStudyId()).isEqualTo("poison");
        assertThat(e.getProblems()).containsExactly(
            "parallelism: 1000000 is over the scheduler's limit of 10000 (limit parallelism)",
            "maxTrials: 2147483647 is over the scheduler's limit of 1000000 (limit trials)");
      });
      assertThat(harness.events(EventType.STUDY_COMPLETED)).singleElement()
          .satisfies(e -> assertThat(e.getStudyId()).isEqualTo("normal"));
    }
  }

  @Test
  void letInByRaisedLimitsThePoisonStudyRunsABatchAtATimeBesideANormalOne() {
    final Limits raised = Limits.DEFAULTS.with(Map.of("parallelism", "1000000", "trials", "2147483647"));
    try (SchedulerHarness harness = new SchedulerHarness(stateDir, 1, raised)) {
      harness.create("poison", SchedulerHarness.spec().setParallelism(1_000_000).setMaxTrials(Integer.MAX_VALUE)
          .build());
      final List<Integer> poisonJobsPerCall = new ArrayList<>();
      poisonJobsPerCall.add(harness.takeJobs().size());
      harness.create("normal", SchedulerHarness.spec().build());
      // the normal study's jobs are answered; the poison study's pile up, a batch per punctuation
      List<TrialJob> normal = harness.takeJobs();
      int punctuations = 0;
      while (!normal.isEmpty()) {
        for (final TrialJob job : normal) {
          harness.complete(job, 0.5);
        }
        final List<TrialJob> next = new ArrayList<>(harness.takeJobs());
        if (punctuations++ < 3) {
          harness.advance(SchedulerTopology.DEFAULT_PUNCTUATE_INTERVAL);
          final List<TrialJob> afterPunctuation = harness.takeJobs();
          poisonJobsPerCall.add((int) afterPunctuation.stream().filter(j -> j.getStudyId().equals("poison")).count());
          next.addAll(afterPunctuation);
        }
        normal = next.stream().filter(j -> j.getStudyId().equals("normal")).toList();
      }
      assertThat(poisonJobsPerCall).containsExactly(BATCH, BATCH, BATCH, BATCH);
      assertThat(harness.events(EventType.STUDY_COMPLETED)).singleElement()
          .satisfies(e -> assertThat(e.getStudyId()).isEqualTo("normal"));

      // stopped, the poison study releases its 4,000 trials' checkpoints a batch per punctuation
      harness.stop("poison");
      final List<Integer> releasedPerCall = new ArrayList<>();
      releasedPerCall.add(released(harness.drainEvents()));
      for (int i = 0; i < 5; i++) {
        harness.advance(SchedulerTopology.DEFAULT_PUNCTUATE_INTERVAL);
        releasedPerCall.add(released(harness.drainEvents()));
      }
      assertThat(releasedPerCall).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(BATCH));
      assertThat(releasedPerCall.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4 * BATCH);
      assertThat(harness.events(EventType.STUDY_COMPLETED)).extracting(StudyEvent::getStatus)
          .containsExactly("COMPLETED", "STOPPED");
    }
  }

  private static int released(final List<StudyEvent> events) {
    return events.stream().filter(e -> e.getType() == EventType.CHECKPOINTS_RELEASED)
        .mapToInt(e -> e.getReleasedCheckpoints().size()).sum();
  }
}
