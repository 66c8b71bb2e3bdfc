package io.kasha.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.spec.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed studies that the engine got wrong, shrunk, kept as plain examples: a continued trial's next job
 * made a report emit one job more than the batch, and so did a due lease after one that failed its trial
 * and filled the free slots; a synchronous study over the widest resource range made the validator
 * overflow; a median-stopping or PBT study of a billion segments was accepted and its rung schedule, a
 * list of every segment, ran the engine out of memory.
 */
class FuzzFindingsTest {

  private final List<TrialJob> jobs = new ArrayList<>();
  private final List<StudyEvent> events = new ArrayList<>();
  private long now = 1_000_000;

  private StudyEngine engine(final int batch) {
    return new StudyEngine(StudyStores.inMemory(), () -> now, new StudyEngine.Output() {
      @Override
      public void job(final TrialJob job) {
        jobs.add(job);
      }

      @Override
      public void event(final StudyEvent event) {
        events.add(event);
      }
    }, Limits.DEFAULTS.with(Map.of("batch", String.valueOf(batch))));
  }

  private static StudySpec.Builder spec(final SchedulerKind kind) {
    return StudySpec.newBuilder().setName("fuzz").setMetric("loss").setMode(Mode.MIN).setEntrypoint("train")
        .setParams(List.of(ParamSpec.newBuilder().setName("p0").setType(ParamType.CATEGORICAL)
            .setChoices(List.of("c0")).build()))
        .setMinResource(1).setMaxResource(2).setEta(2).setParallelism(2).setMaxTrials(2).setLeaseMs(1000)
        .setMaxAttempts(1).setScheduler(kind);
  }

  private static StudyCommand create(final StudySpec spec) {
    return StudyCommand.newBuilder().setStudyId("fuzz-0").setAction(StudyAction.CREATE).setSpec(spec).build();
  }

  private List<TrialJob> takeJobs() {
    final List<TrialJob> taken = List.copyOf(jobs);
    jobs.clear();
    return taken;
  }

  private static TrialReport completed(final TrialJob job, final double loss) {
    return TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(ReportKind.SEGMENT_COMPLETED).setResource(job.getResourceTo())
        .setMetrics(Map.of("loss", loss)).build();
  }

  @Test
  void aContinuedTrialsNextJobIsOneOfItsReportsBatch() {
    // the stopping rule continues the first trial at once; with a batch of 1 that job is the report's only one
    final StudyEngine engine = engine(1);
    engine.onCommand("fuzz-0", create(spec(SchedulerKind.HYPERBAND_STOPPING).build()));
    final TrialJob first = takeJobs().get(0);

    engine.onReport(completed(first, 0.0));

    assertThat(takeJobs()).singleElement().satisfies(job -> assertThat(job.getJobId()).isEqualTo("fuzz-0-t1-r1-a1"));
    now += 100;
    engine.onTime();
    assertThat(takeJobs()).singleElement().satisfies(job -> assertThat(job.getTrialId()).isEqualTo("fuzz-0-t2"));
  }

  @Test
  void aDueLeaseLeftWithoutWorkByTheOnesBeforeItWaitsForTheNextCall() throws java.io.IOException {
    // the shrunk case: a lease that failed its trial filled the slots with the rest of the batch, and the
    // next due lease re-issued its job beyond it; PlayedStudy fails on any call over the batch
    final StudySpec spec = spec(SchedulerKind.ASHA).setMaxResource(1).setParallelism(5).setMaxTrials(6)
        .setMaxAttempts(2).setParams(List.of(ParamSpec.newBuilder().setName("p0").setType(ParamType.CATEGORICAL)
            .setChoices(List.of("c0", "c1", "c2")).build())).build();

    final PlayedStudy played = new PlayedStudy(new FuzzCase("fuzz-0", spec, 2, 1)).play();

    assertThat(played.status()).isEqualTo("COMPLETED");
    assertThat(played.events()).filteredOn(e -> e.getType() == EventType.JOB_REISSUED).isNotEmpty();
  }

  @Test
  void aMedianStoppingStudyOfABillionSegmentsIsRejected() {
    final StudyEngine engine = engine(1000);
    engine.onCommand("fuzz-0", create(spec(SchedulerKind.MEDIAN_STOPPING).setMaxResource(1_000_000_000L).build()));

    assertThat(jobs).isEmpty();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo(EventType.STUDY_REJECTED);
      assertThat(e.getProblems()).containsExactly("minResource: the median_stopping scheduler trains a trial in "
          + "segments of minResource up to maxResource, at most 10000 of them (got 1000000000 segments of 1 up to "
          + "1000000000); raise minResource to at least 100000 or lower maxResource");
    });
  }

  @Test
  void aPbtStudyOfABillionSegmentsIsRejected() {
    final StudyEngine engine = engine(1000);
    engine.onCommand("fuzz-0", create(spec(SchedulerKind.PBT).setMaxResource(1_000_000_000L)
        .setSchedulerOptions(SchedulerOptions.newBuilder().setPerturbationInterval(1L).build()).build()));

    assertThat(events).singleElement().satisfies(e -> assertThat(e.getProblems()).containsExactly(
        "schedulerOptions.perturbationInterval: the pbt scheduler trains a trial in segments of "
            + "schedulerOptions.perturbationInterval up to maxResource, at most 10000 of them (got 1000000000 "
            + "segments of 1 up to 1000000000); raise schedulerOptions.perturbationInterval to at least 100000 or "
            + "lower maxResource"));
  }

  @Test
  void synchronousStudiesOverTheWidestResourceRangeAreRejectedForTheirTrialBudget() {
    // (s_max + 1) * eta^s_max passed 2^63 and the validator threw instead of answering
    for (final SchedulerKind kind : List.of(SchedulerKind.SHA, SchedulerKind.HYPERBAND)) {
      events.clear();
      engine(1000).onCommand("fuzz-0", create(spec(kind).setMaxResource(Long.MAX_VALUE).build()));

      assertThat(events).as("%s", kind).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo(EventType.STUDY_REJECTED);
        assertThat(e.getProblems()).singleElement().asString().startsWith("maxTrials: ")
            .doesNotContain("-");
      });
    }
  }

  @Test
  void aMedianStoppingStudyOfTenThousandSegmentsRuns() {
    final StudyEngine engine = engine(1000);
    engine.onCommand("fuzz-0", create(spec(SchedulerKind.MEDIAN_STOPPING).setMaxResource(10_000).build()));

    assertThat(events.get(0).getType()).isEqualTo(EventType.STUDY_ACCEPTED);
    assertThat(takeJobs()).hasSize(2).allSatisfy(job -> assertThat(job.getResourceTo()).isEqualTo(1));
  }
}
