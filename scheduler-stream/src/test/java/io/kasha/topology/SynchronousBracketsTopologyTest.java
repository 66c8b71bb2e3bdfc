package io.kasha.topology;

import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_ACCEPTED;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static io.kasha.schemas.EventType.TRIAL_FAILED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synchronous successive halving and Hyperband run by the topology, checked against their definition. */
class SynchronousBracketsTopologyTest {

  /** Li et al., JMLR 2018, Table 1: Hyperband's brackets for R = 81, eta = 3, as n_i/r_i. */
  private static final List<List<String>> TABLE = List.of(
      List.of("81/1", "27/3", "9/9", "3/27", "1/81"),
      List.of("34/3", "11/9", "3/27", "1/81"),
      List.of("15/9", "5/27", "1/81"),
      List.of("8/27", "2/81"),
      List.of("5/81"));

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

  private static double bowl(final TrialJob job) {
    final double x = ((Number) job.getParams().get("x")).doubleValue();
    return (x - 0.3) * (x - 0.3) + 1.0 / job.getResourceTo();
  }

  @Test
  void hyperbandForR81Eta3RunsTheRungSizesOfLiEtAlsTableBracketAfterBracket() {
    // given one Hyperband iteration's worth of trials, R = 81, eta = 3
    harness.create("hb", SchedulerHarness.spec().setScheduler(SchedulerKind.HYPERBAND).setMaxResource(81)
        .setMaxTrials(143).setParallelism(8).build());
    final Random random = new Random(7);

    // when runners finish the jobs in a random order
    harness.runToCompletion(SynchronousBracketsTopologyTest::bowl, pending -> {
      final List<TrialJob> shuffled = new ArrayList<>(pending);
      Collections.shuffle(shuffled, random);
      return shuffled;
    });

    // then each bracket's rungs hold exactly the table's n_i results at r_i
    final List<StudyEvent> results = harness.events(RUNG_RESULT);
    final List<List<String>> rungs = new ArrayList<>();
    for (int b = 0; b < TABLE.size(); b++) {
      final int bracket = b;
      final Map<Long, Long> counts = results.stream().filter(e -> bracketOf(e.getTrialId()) == bracket)
          .collect(Collectors.groupingBy(StudyEvent::getResource, java.util.TreeMap::new, Collectors.counting()));
      rungs.add(counts.entrySet().stream().map(e -> e.getValue() + "/" + e.getKey()).toList());
    }
    assertThat(rungs).isEqualTo(TABLE);
    assertThat(harness.events(TRIAL_COMPLETED)).hasSize(1 + 1 + 1 + 2 + 5);
    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("COMPLETED"));
    assertThat(harness.events(STUDY_ACCEPTED).get(0).getReason())
        .startsWith("hyperband, synchronous").contains("s=4: 81/1 27/3 9/9 3/27 1/81").contains("s=0: 5/81");
  }

  @Test
  void hyperbandPromotesOnlyFromACompleteRungTheBestOfItAndStartsABracketOnlyWhenTheLastHasEnded() {
    // given
    harness.create("hb", SchedulerHarness.spec().setScheduler(SchedulerKind.HYPERBAND).setMaxResource(81)
        .setMaxTrials(143).setParallelism(8).build());
    final Random random = new Random(11);

    // when
    harness.runToCompletion(SynchronousBracketsTopologyTest::bowl, pending -> {
      final List<TrialJob> shuffled = new ArrayList<>(pending);
      Collections.shuffle(shuffled, random);
      return shuffled;
    });

    // then every promotion comes after the whole rung's results, and promotes its best n_{k+1}
    final List<StudyEvent> results = harness.events(RUNG_RESULT);
    final List<StudyEvent> promotions = harness.events(TRIAL_PROMOTED);
    assertThat(promotions).hasSize(27 + 9 + 3 + 1 + 11 + 3 + 1 + 5 + 1 + 2);
    for (final StudyEvent promotion : promotions) {
      final int bracket = bracketOf(promotion.getTrialId());
      final List<StudyEvent> rung = results.stream()
          .filter(e -> bracketOf(e.getTrialId()) == bracket && e.getResource() == promotion.getResource()).toList();
      assertThat(rung).as(promotion.toString()).allMatch(e -> e.getSeq() < promotion.getSeq());
      final long promotedHere = promotions.stream().filter(p -> bracketOf(p.getTrialId()) == bracket
          && p.getResource() == promotion.getResource()).count();
      final List<String> best = rung.stream().sorted(Comparator.comparingDouble(StudyEvent::getMetric)
          .thenComparingLong(StudyEvent::getSeq)).limit(promotedHere).map(StudyEvent::getTrialId).toList();
      assertThat(best).as("best %d of %s", promotedHere, rung.size()).contains(promotion.getTrialId());
    }
    final List<StudyEvent> created = harness.events(TRIAL_CREATED);
    for (final StudyEvent trial : created) {
      final int bracket = bracketOf(trial.getTrialId());
      assertThat(results).filteredOn(e -> bracketOf(e.getTrialId()) == bracket - 1)
          .allMatch(e -> e.getSeq() < trial.getSeq());
    }
  }

  @Test
  void successiveHalvingPromotesTiesToTheEarlierResultAndNanLast() {
    // given one bracket of 9 trials over 1, 3, 9
    harness.create("sha", SchedulerHarness.spec().setScheduler(SchedulerKind.SHA).setMaxResource(9).setMaxTrials(9)
        .setParallelism(9).build());
    final List<TrialJob> first = harness.takeJobs();
    assertThat(first).hasSize(9);

    // when rung 0 reports last trial first: two NaN, then seven equal results
    final List<TrialJob> lastFirst = new ArrayList<>(first);
    Collections.reverse(lastFirst);
    for (final TrialJob job : lastFirst) {
      final int index = index(job.getTrialId());
      harness.complete(job, index >= 8 ? Double.NaN : 0.5);
    }
    final List<TrialJob> second = harness.takeJobs();

    // then the three earliest of the equal results go on, not the earlier NaNs
    assertThat(second).extracting(TrialJob::getTrialId).containsExactly("sha-t7", "sha-t6", "sha-t5");
    assertThat(second).extracting(TrialJob::getResourceFrom).containsOnly(1L);

    // when rung 1 reports a NaN first, then a number
    harness.complete(second.get(0), Double.NaN);
    assertThat(harness.takeJobs()).as("no promotion before the rung is complete").isEmpty();
    harness.complete(second.get(1), Double.NaN);
    harness.complete(second.get(2), 0.9);

    // then the number goes on, and the study ends when it reaches the top
    final List<TrialJob> third = harness.takeJobs();
    assertThat(third).extracting(TrialJob::getTrialId).containsExactly("sha-t5");
    harness.complete(third.get(0), 0.8);
    assertThat(harness.events(TRIAL_COMPLETED)).extracting(StudyEvent::getTrialId).containsExactly("sha-t5");
    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("COMPLETED"));
  }

  @Test
  void aFailedTrialCountsAsWorstSoItsRungStillCompletesWithoutIt() {
    // given one bracket of 9 trials over 1, 3, 9, one attempt per job
    harness.create("sha", SchedulerHarness.spec().setScheduler(SchedulerKind.SHA).setMaxResource(9).setMaxTrials(9)
        .setParallelism(4).setMaxAttempts(1).build());

    // when every trial but t2 fails at rung 0
    List<TrialJob> pending = harness.takeJobs();
    final List<String> promoted = new ArrayList<>();
    while (!pending.isEmpty()) {
      for (final TrialJob job : pending) {
        if (job.getRung() == 0 && !job.getTrialId().equals("sha-t2")) {
          harness.reports.pipeInput(job.getStudyId(), failed(job));
        } else {
          promoted.add(job.getTrialId() + "@" + job.getResourceTo());
          harness.complete(job, 0.1);
        }
      }
      pending = harness.takeJobs();
    }

    // then the rung completes with the failures ranked last: only t2 goes on, alone, to the top
    assertThat(harness.events(TRIAL_FAILED)).hasSize(8);
    assertThat(promoted).containsExactly("sha-t2@1", "sha-t2@3", "sha-t2@9");
    assertThat(harness.events(TRIAL_COMPLETED)).extracting(StudyEvent::getTrialId).containsExactly("sha-t2");
    assertThat(harness.events(STUDY_COMPLETED).get(0).getStatus()).isEqualTo("COMPLETED");
  }

  private static TrialReport failed(final TrialJob job) {
    return TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(ReportKind.SEGMENT_FAILED).setFailureKind(FailureKind.EXIT_CODE)
        .setMessage("exit 3").build();
  }

  private static int index(final String trialId) {
    return Integer.parseInt(trialId.substring(trialId.lastIndexOf('t') + 1));
  }

  /** The Hyperband bracket of a trial of one R = 81 iteration: 81, 34, 15, 8 and 5 trials. */
  private static int bracketOf(final String trialId) {
    final int index = index(trialId);
    final int[] ends = {81, 115, 130, 138, 143};
    for (int b = 0; b < ends.length; b++) {
      if (index <= ends[b]) {
        return b;
      }
    }
    throw new IllegalArgumentException(trialId);
  }
}
