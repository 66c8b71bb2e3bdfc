package io.kasha.topology;

import static io.kasha.schemas.EventType.JOB_REISSUED;
import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_ACCEPTED;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.STUDY_REJECTED;
import static io.kasha.schemas.EventType.TRIAL_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static io.kasha.schemas.EventType.TRIAL_FAILED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.audit.AshaAudit;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyProcessorTest {

  @TempDir
  Path stateDir;

  private SchedulerHarness harness;

  @BeforeEach
  void start() {
    harness = new SchedulerHarness(stateDir);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static double objective(final TrialJob job) {
    final double x = ((Number) job.getParams().get("x")).doubleValue();
    return Math.abs(x - 0.3) + 1.0 / job.getResourceTo();
  }

  @Test
  void runsAnAsynchronousStudyToCompletionPromotingAtLeastTheTopThirdOfEveryRung() {
    harness.create("s1", SchedulerHarness.spec().build());
    final Random random = new Random(11);

    harness.runToCompletion(StudyProcessorTest::objective, pending -> {
      final List<TrialJob> shuffled = new ArrayList<>(pending);
      Collections.shuffle(shuffled, random);
      return shuffled;
    });

    final Map<Integer, Long> resultsPerRung = harness.events(RUNG_RESULT).stream()
        .collect(Collectors.groupingBy(StudyEvent::getRung, Collectors.counting()));
    final Map<Integer, Long> promotedPerRung = harness.events(TRIAL_PROMOTED).stream()
        .collect(Collectors.groupingBy(StudyEvent::getRung, Collectors.counting()));
    assertThat(resultsPerRung.get(0)).isEqualTo(27L);
    assertThat(resultsPerRung.get(3)).isGreaterThanOrEqualTo(1L);
    for (int rung = 0; rung < 3; rung++) {
      assertThat(promotedPerRung.get(rung)).isGreaterThanOrEqualTo(resultsPerRung.get(rung) / 3)
          .isEqualTo(resultsPerRung.get(rung + 1));
    }
    assertThat(harness.events(TRIAL_CREATED)).hasSize(27);
    assertThat(harness.events(TRIAL_COMPLETED)).hasSize(1);
    final StudyEvent completed = harness.events(STUDY_COMPLETED).get(0);
    assertThat(completed.getStatus()).isEqualTo("COMPLETED");
    assertThat(completed.getResource()).isEqualTo(27L);
    assertThat(AshaAudit.check(harness.events)).isEmpty();
  }

  @Test
  void aTpeStudyStartsWithItsWarmStartPointsLeavesInactiveParametersOutAndThenModelsTheRungs() {
    // given x, and 'shift' that exists only when mode is 'shifted'; one warm-start point
    final StudySpec spec = SchedulerHarness.spec()
        .setSampler(SamplerKind.TPE)
        .setParallelism(2)
        .setSearchOptions(SearchOptions.newBuilder().setNStartupTrials(6).build())
        .setParams(List.of(
            ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0).build(),
            ParamSpec.newBuilder().setName("mode").setType(ParamType.CATEGORICAL)
                .setChoices(List.of("plain", "shifted")).build(),
            ParamSpec.newBuilder().setName("shift").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
                .setActiveWhen(ParamCondition.newBuilder().setParent("mode").setValues(List.of("shifted")).build())
                .build()))
        .setPointsToEvaluate(List.of(Map.of("x", 0.3, "mode", "plain")))
        .build();
    harness.create("s1", spec);
    final List<TrialJob> firstJobs = harness.takeJobs();
    // when
    final List<TrialJob> all = new ArrayList<>(firstJobs);
    List<TrialJob> pending = new ArrayList<>(firstJobs);
    while (!pending.isEmpty()) {
      final TrialJob next = pending.remove(0);
      harness.complete(next, objective(next));
      final List<TrialJob> fresh = harness.takeJobs();
      all.addAll(fresh);
      pending.addAll(fresh);
    }
    harness.drainEvents();
    // then
    assertThat(firstJobs.get(0).getParams()).isEqualTo(Map.of("x", 0.3, "mode", "plain"));
    assertThat(all).allSatisfy(job ->
        assertThat(job.getParams().containsKey("shift")).isEqualTo("shifted".equals(job.getParams().get("mode"))));
    final List<String> how = harness.events(TRIAL_CREATED).stream().map(StudyEvent::getReason).toList();
    assertThat(how.get(0)).endsWith("(warm-start point 1 of 1)");
    assertThat(how.get(1)).contains("tpe startup (random)");
    assertThat(how).anyMatch(reason -> reason.contains("tpe on rung 0"))
        .anyMatch(reason -> reason.contains("tpe on rung 1"));
    assertThat(AshaAudit.check(harness.events)).isEmpty();
  }

  @Test
  void oneJobAtATimeRunsEveryConfigurationAndObeysTheRule() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).build());

    harness.runToCompletion(job -> 1.0 / (1 + Math.abs(((Number) job.getParams().get("x")).doubleValue() - 0.3)),
        pending -> pending);

    final Map<Integer, Long> resultsPerRung = harness.events(RUNG_RESULT).stream()
        .collect(Collectors.groupingBy(StudyEvent::getRung, Collectors.counting()));
    assertThat(resultsPerRung.get(0)).isEqualTo(27L);
    assertThat(resultsPerRung.get(3)).isGreaterThanOrEqualTo(1L);
    assertThat(AshaAudit.check(harness.events)).isEmpty();
  }

  @Test
  void neverHasMoreJobsInFlightThanTheStudysParallelism() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(3).build());

    final List<TrialJob> first = harness.takeJobs();

    assertThat(first).hasSize(3);
    harness.complete(first.get(0), 0.5);
    assertThat(harness.takeJobs()).hasSize(1);
  }

  @Test
  void promotionJobsResumeFromTheCheckpointOfTheLowerRung() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(3).build());

    final List<TrialJob> issued = new ArrayList<>();
    List<TrialJob> pending = harness.takeJobs();
    while (!pending.isEmpty()) {
      final TrialJob job = pending.get(0);
      issued.add(job);
      harness.complete(job, objective(job));
      pending = harness.takeJobs();
    }

    final TrialJob promotion = issued.stream().filter(j -> j.getRung() == 1).findFirst().orElseThrow();
    assertThat(promotion.getResourceFrom()).isEqualTo(1);
    assertThat(promotion.getResourceTo()).isEqualTo(3);
    assertThat(promotion.getCheckpointIn()).isEqualTo("file:///ckpt/" + promotion.getTrialId() + "/1");
  }

  @Test
  void duplicateAndLateReportsChangeNothing() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(2).build());
    final List<TrialJob> jobs = harness.takeJobs();
    final TrialReport report = SchedulerHarness.completed(jobs.get(0), 0.4);

    harness.reports.pipeInput("s1", report);
    harness.drainEvents();
    final int eventsAfterFirst = harness.events.size();
    final int jobsAfterFirst = harness.takeJobs().size();
    harness.reports.pipeInput("s1", report);

    assertThat(harness.drainEvents()).isEmpty();
    assertThat(harness.takeJobs()).isEmpty();
    assertThat(harness.events).hasSize(eventsAfterFirst);
    assertThat(jobsAfterFirst).isEqualTo(1);
    assertThat(harness.events(RUNG_RESULT)).hasSize(1);
    assertThat(harness.ignoredReports()).isEqualTo(1.0);
  }

  @Test
  void garbageBytesOnEveryInputTopicAreSkippedAndTheStudyGoesOn() {
    harness.rawStudies.pipeInput("s1".getBytes(), "{not avro".getBytes());
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(1).setMaxResource(1).build());
    final TrialJob job = harness.takeJobs().get(0);

    harness.rawReports.pipeInput("s1".getBytes(), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    harness.rawReports.pipeInput("s1".getBytes(), (byte[]) null);
    harness.complete(job, 0.1);

    assertThat(harness.events(STUDY_COMPLETED)).hasSize(1);
  }

  @Test
  void rejectsAnInvalidStudyListingEveryProblem() {
    harness.create("bad", SchedulerHarness.spec().setEta(1).setParallelism(0).setMetric("").build());

    final List<StudyEvent> rejected = harness.events(STUDY_REJECTED);

    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).getProblems()).hasSizeGreaterThanOrEqualTo(3)
        .anyMatch(p -> p.startsWith("eta"))
        .anyMatch(p -> p.startsWith("parallelism"))
        .anyMatch(p -> p.startsWith("metric"));
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void rejectsAStudyIdThatCannotKeyTheStores() {
    harness.create("bad\u0000id", SchedulerHarness.spec().build());

    assertThat(harness.events(STUDY_REJECTED)).singleElement()
        .satisfies(e -> assertThat(e.getProblems()).anyMatch(p -> p.startsWith("studyId")));
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void reportsForUnknownStudiesOrTrialsAreIgnored() {
    harness.reports.pipeInput("nope", TrialReport.newBuilder().setStudyId("nope").setTrialId("nope-t1")
        .setJobId("nope-t1-r0-a1").setKind(ReportKind.SEGMENT_COMPLETED).setMetrics(Map.of("loss", 1.0)).build());

    assertThat(harness.drainEvents()).isEmpty();
    assertThat(harness.takeJobs()).isEmpty();
    assertThat(harness.ignoredReports()).isEqualTo(1.0);
  }

  @Test
  void reissuesAJobWhoseLeaseRanOutThenFailsTheTrialAfterMaxAttempts() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(1).setLeaseMs(5_000)
        .setMaxAttempts(2).build());
    final TrialJob first = harness.takeJobs().get(0);

    harness.advance(Duration.ofSeconds(6));
    final List<TrialJob> reissued = harness.takeJobs();
    harness.advance(Duration.ofSeconds(6));

    assertThat(first.getAttempt()).isEqualTo(1);
    assertThat(reissued).singleElement().satisfies(job -> {
      assertThat(job.getTrialId()).isEqualTo(first.getTrialId());
      assertThat(job.getAttempt()).isEqualTo(2);
      assertThat(job.getJobId()).isNotEqualTo(first.getJobId());
    });
    assertThat(harness.events(JOB_REISSUED)).hasSize(1);
    assertThat(harness.events(TRIAL_FAILED)).singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("no report"));
    assertThat(harness.events(STUDY_COMPLETED)).hasSize(1);
  }

  @Test
  void progressReportsKeepTheLeaseAlive() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(1).setLeaseMs(5_000).build());
    final TrialJob job = harness.takeJobs().get(0);

    for (int i = 0; i < 4; i++) {
      harness.advance(Duration.ofSeconds(3));
      harness.reports.pipeInput("s1", TrialReport.newBuilder().setStudyId("s1").setTrialId(job.getTrialId())
          .setJobId(job.getJobId()).setKind(ReportKind.PROGRESS).setResource(1).build());
    }

    assertThat(harness.events(JOB_REISSUED)).isEmpty();
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void aJobIsReissuedOneLeaseAfterItsLastReport() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(1).setLeaseMs(5_000).build());
    final TrialJob job = harness.takeJobs().get(0);
    harness.advance(Duration.ofSeconds(3));
    harness.reports.pipeInput("s1", TrialReport.newBuilder().setStudyId("s1").setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(ReportKind.PROGRESS).setResource(1).build());

    harness.advance(Duration.ofSeconds(3));
    harness.advance(Duration.ofSeconds(1));
    final List<TrialJob> beforeTheRenewedLeaseEnds = harness.takeJobs();
    harness.advance(Duration.ofSeconds(2));
    final List<TrialJob> after = harness.takeJobs();

    assertThat(beforeTheRenewedLeaseEnds).isEmpty();
    assertThat(after).singleElement().satisfies(reissued -> {
      assertThat(reissued.getTrialId()).isEqualTo(job.getTrialId());
      assertThat(reissued.getAttempt()).isEqualTo(2);
    });
    assertThat(harness.events(JOB_REISSUED)).singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("no report from job " + job.getJobId()));
  }

  @Test
  void retriesAFailedSegmentThenGivesUp() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(1).setMaxAttempts(2).build());
    final TrialJob job = harness.takeJobs().get(0);

    harness.reports.pipeInput("s1", failed(job));
    final TrialJob retry = harness.takeJobs().get(0);
    harness.reports.pipeInput("s1", failed(retry));

    assertThat(retry.getAttempt()).isEqualTo(2);
    assertThat(harness.events(TRIAL_FAILED)).singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("EXIT_CODE").contains("exit 3"));
    assertThat(harness.events(STUDY_COMPLETED)).hasSize(1);
  }

  @Test
  void stopEndsTheStudyAndLaterReportsAreIgnored() {
    harness.create("s1", SchedulerHarness.spec().build());
    final List<TrialJob> jobs = harness.takeJobs();

    harness.stop("s1");
    harness.complete(jobs.get(0), 0.2);

    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("STOPPED"));
    assertThat(harness.events(RUNG_RESULT)).isEmpty();
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void endsTheStudyWhenItsTimeBudgetIsSpent() {
    harness.create("s1", SchedulerHarness.spec().setMaxDurationMs(10_000L).build());
    harness.takeJobs();

    harness.advance(Duration.ofSeconds(11));

    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("TIME_BUDGET"));
  }

  @Test
  void endsTheStudyWhenATrialAtTheTopRungReachesTheTarget() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setTarget(0.5).setParallelism(1).build());

    harness.complete(harness.takeJobs().get(0), 0.9);
    harness.complete(harness.takeJobs().get(0), 0.4);

    assertThat(harness.events(STUDY_COMPLETED)).singleElement().satisfies(e -> {
      assertThat(e.getStatus()).isEqualTo("TARGET_REACHED");
      assertThat(e.getMetric()).isEqualTo(0.4);
    });
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void runsManyStudiesIndependently() {
    harness.create("a", SchedulerHarness.spec().setMaxTrials(9).build());
    harness.create("b", SchedulerHarness.spec().setMaxTrials(3).setMaxResource(3).build());

    harness.runToCompletion(StudyProcessorTest::objective, pending -> pending);

    final List<StudyEvent> a = harness.events.stream().filter(e -> e.getStudyId().equals("a")).toList();
    final List<StudyEvent> b = harness.events.stream().filter(e -> e.getStudyId().equals("b")).toList();
    assertThat(a).filteredOn(e -> e.getType() == TRIAL_CREATED).hasSize(9);
    assertThat(b).filteredOn(e -> e.getType() == TRIAL_CREATED).hasSize(3);
    assertThat(AshaAudit.check(a)).isEmpty();
    assertThat(AshaAudit.check(b)).isEmpty();
    assertThat(a.get(0).getType()).isEqualTo(STUDY_ACCEPTED);
  }

  @Test
  void secondCreateOfARunningStudyIsIgnored() {
    harness.create("s1", SchedulerHarness.spec().build());
    final int jobs = harness.takeJobs().size();

    harness.create("s1", SchedulerHarness.spec().setParallelism(8).build());

    assertThat(jobs).isEqualTo(4);
    assertThat(harness.takeJobs()).isEmpty();
    assertThat(harness.events(STUDY_ACCEPTED)).hasSize(1);
  }

  @Test
  void auditFlagsAPromotionThatBreaksTheRule() {
    harness.create("s1", SchedulerHarness.spec().setParallelism(1).setMaxTrials(3).setMaxResource(3).build());
    harness.runToCompletion(StudyProcessorTest::objective, pending -> pending);
    final List<StudyEvent> tampered = new ArrayList<>(harness.events);
    final int promotion = indexOf(tampered, TRIAL_PROMOTED);
    final StudyEvent original = tampered.get(promotion);
    final String otherTrial = tampered.stream().filter(e -> e.getType() == RUNG_RESULT)
        .map(StudyEvent::getTrialId).filter(t -> !t.equals(original.getTrialId())).findFirst().orElseThrow();

    tampered.set(promotion, StudyEvent.newBuilder(original).setTrialId(otherTrial).build());

    assertThat(AshaAudit.check(harness.events)).isEmpty();
    assertThat(AshaAudit.check(tampered)).isNotEmpty();
  }

  private static int indexOf(final List<StudyEvent> events, final io.kasha.schemas.EventType type) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getType() == type) {
        return i;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static TrialReport failed(final TrialJob job) {
    return TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(ReportKind.SEGMENT_FAILED).setFailureKind(FailureKind.EXIT_CODE)
        .setMessage("exit 3").build();
  }
}
