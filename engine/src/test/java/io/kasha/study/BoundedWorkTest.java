package io.kasha.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.spec.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No call makes more than a batch of decisions: a study's slots beyond it are filled, and an ended
 * study's checkpoints released, by the calls of {@link StudyEngine#onTime} that follow.
 */
class BoundedWorkTest {

  private static final int BATCH = 100;
  private static final Limits LIMITS = Limits.DEFAULTS.with(Map.of("batch", String.valueOf(BATCH)));

  private final List<TrialJob> jobs = new ArrayList<>();
  private final List<StudyEvent> events = new ArrayList<>();
  private final long[] now = {1_000};
  private final StudyEngine engine = new StudyEngine(StudyStores.inMemory(), () -> now[0], new StudyEngine.Output() {
    @Override
    public void job(final TrialJob job) {
      jobs.add(job);
    }

    @Override
    public void event(final StudyEvent event) {
      events.add(event);
    }
  }, LIMITS);

  private static StudySpec spec(final int parallelism, final int maxTrials, final long maxResource) {
    return StudySpec.newBuilder().setName("wide").setMetric("loss").setMode(Mode.MIN).setEntrypoint("objective")
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setSampler(SamplerKind.RANDOM).setMinResource(1).setMaxResource(maxResource).setEta(3)
        .setParallelism(parallelism).setMaxTrials(maxTrials).build();
  }

  private void create(final String id, final StudySpec spec) {
    engine.onCommand(id, StudyCommand.newBuilder().setStudyId(id).setAction(StudyAction.CREATE).setSpec(spec).build());
  }

  private List<TrialJob> takeJobs() {
    final List<TrialJob> taken = List.copyOf(jobs);
    jobs.clear();
    return taken;
  }

  private void complete(final TrialJob job, final double loss) {
    engine.onReport(TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(ReportKind.SEGMENT_COMPLETED).setResource(job.getResourceTo())
        .setMetrics(Map.of("loss", loss)).setCheckpointUri("file:///ckpt/" + job.getTrialId()).build());
  }

  @Test
  void aWideStudyFillsItsSlotsABatchPerCall() {
    create("wide", spec(250, 1000, 9));
    final List<Integer> perCall = new ArrayList<>();
    perCall.add(takeJobs().size());
    for (int call = 0; call < 4; call++) {
      now[0] += 100;
      engine.onTime();
      perCall.add(takeJobs().size());
    }
    assertThat(perCall).containsExactly(BATCH, BATCH, 50, 0, 0);
    assertThat(events).filteredOn(e -> e.getType() == EventType.TRIAL_CREATED).hasSize(250);
    assertThat(events).noneMatch(e -> e.getType() == EventType.STUDY_COMPLETED);
  }

  @Test
  void anEndedStudyReleasesItsCheckpointsABatchPerCallAndKeepsTheBest() {
    // one rung: every trial completes at once; the study ends with 350 trials' checkpoints to release
    create("ends", spec(350, 350, 1));
    for (int call = 0; call < 3; call++) {
      now[0] += 100;
      engine.onTime();
    }
    final List<TrialJob> all = new ArrayList<>(takeJobs());
    assertThat(all).hasSize(350);
    for (int i = 0; i < all.size(); i++) {
      complete(all.get(i), i == 17 ? 0.0 : 1.0 + i);
    }
    final List<Integer> releasedPerCall = new ArrayList<>();
    releasedPerCall.add(takeReleased().size());
    for (int call = 0; call < 5; call++) {
      now[0] += 100;
      engine.onTime();
      releasedPerCall.add(takeReleased().size());
    }
    assertThat(events).filteredOn(e -> e.getType() == EventType.STUDY_COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.getTrialId()).isEqualTo("ends-t18"));
    assertThat(releasedPerCall).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(BATCH));
    assertThat(releasedPerCall.stream().mapToInt(Integer::intValue).sum()).isEqualTo(350);
    assertThat(releasedPerCall.subList(4, 6)).containsOnly(0);
    assertThat(released).hasSize(350).contains("ends-t18");
    assertThat(keptCheckpoints).containsOnly("file:///ckpt/ends-t18");
  }

  private final Set<String> released = new HashSet<>();
  private final Set<String> keptCheckpoints = new HashSet<>();
  private int eventsRead;

  /** The checkpoint names released by the events since the last call. */
  private List<String> takeReleased() {
    final List<String> names = new ArrayList<>();
    for (; eventsRead < events.size(); eventsRead++) {
      final StudyEvent event = events.get(eventsRead);
      if (event.getType() == EventType.CHECKPOINTS_RELEASED) {
        names.addAll(event.getReleasedCheckpoints());
        if (event.getKeptCheckpoint() != null) {
          keptCheckpoints.add(event.getKeptCheckpoint());
        }
      }
    }
    released.addAll(names);
    return names;
  }

  @Test
  void aStudyOverTheLimitsIsRejectedNamingEachLimitAndValue() {
    create("poison", StudySpec.newBuilder(spec(1_000_000, Integer.MAX_VALUE, 9)).build());
    assertThat(jobs).isEmpty();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo(EventType.STUDY_REJECTED);
      assertThat(e.getProblems()).containsExactly(
          "parallelism: 1000000 is over the scheduler's limit of 10000 (limit parallelism)",
          "maxTrials: 2147483647 is over the scheduler's limit of 1000000 (limit trials)");
    });
  }

  @Test
  void anExtensionOverTheTrialLimitIsRefused() {
    create("grows", spec(2, 10, 9));
    engine.onCommand("grows", StudyCommand.newBuilder().setStudyId("grows").setAction(StudyAction.EXTEND)
        .setMaxTrials(2_000_000).build());
    assertThat(events).filteredOn(e -> e.getType() == EventType.EXTEND_REJECTED).singleElement()
        .satisfies(e -> assertThat(e.getProblems())
            .containsExactly("maxTrials: 2000000 is over the scheduler's limit of 1000000 (limit trials)"));
  }

  @Test
  void aRunnersOversizedTextIsBoundedInTheLogAndAnOversizedCheckpointUriFailsTheSegment() {
    create("texts", StudySpec.newBuilder(spec(2, 2, 9)).setMaxAttempts(1).build());
    final List<TrialJob> two = takeJobs();
    engine.onReport(TrialReport.newBuilder().setStudyId("texts").setTrialId(two.get(0).getTrialId())
        .setJobId(two.get(0).getJobId()).setKind(ReportKind.SEGMENT_FAILED).setMessage("x".repeat(100_000)).build());
    engine.onReport(TrialReport.newBuilder().setStudyId("texts").setTrialId(two.get(1).getTrialId())
        .setJobId(two.get(1).getJobId()).setKind(ReportKind.SEGMENT_COMPLETED).setResource(1)
        .setMetrics(Map.of("loss", 0.5)).setCheckpointUri("file:///" + "y".repeat(5_000)).build());
    final List<StudyEvent> failed = events.stream().filter(e -> e.getType() == EventType.TRIAL_FAILED).toList();
    assertThat(failed).hasSize(2);
    assertThat(failed.get(0).getReason()).hasSizeLessThan(1_200).contains("(99000 more characters)");
    assertThat(failed.get(1).getReason())
        .isEqualTo("the completed segment's checkpointUri has 5008 characters, over the limit of 2048");
  }
}
