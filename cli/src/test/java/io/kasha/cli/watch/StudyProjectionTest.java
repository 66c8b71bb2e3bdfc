package io.kasha.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kasha.cli.watch.StudyProjection.TrialResult;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyProjectionTest {

  private final StudyEvents log = new StudyEvents();
  private final StudyProjection study = new StudyProjection(StudyEvents.STUDY);

  @Test
  void studyWithNoEventsIsPending() {
    assertThat(study.status()).isEqualTo("PENDING");
    assertThat(study.ended()).isFalse();
    assertThat(study.rungs()).isEmpty();
    assertThat(study.leaderboard()).isEmpty();
    assertThat(study.best()).isNull();
    assertThat(study.paramOrder()).isEmpty();
  }

  @Test
  void acceptanceListsEveryRungOfTheSchedule() {
    apply(log.accepted(Mode.MIN));

    assertThat(study.status()).isEqualTo("RUNNING");
    assertThat(study.rungs()).extracting(r -> r.rung, r -> r.resource, r -> r.results, r -> r.promoted)
        .containsExactly(tuple(0, 1L, 0L, 0L), tuple(1, 3L, 0L, 0L), tuple(2, 9L, 0L, 0L), tuple(3, 27L, 0L, 0L));
  }

  @Test
  void acceptanceHonoursTheEarlyStoppingRate() {
    apply(log.next(EventType.STUDY_ACCEPTED)
        .setSpec(StudySpec.newBuilder(StudyEvents.spec(Mode.MIN)).setEarlyStoppingRate(1).build()).build());

    assertThat(study.rungs()).extracting(r -> r.resource).containsExactly(3L, 9L, 27L);
  }

  @Test
  void resultsAndPromotionsAreCountedOnTheirRung() {
    apply(log.accepted(Mode.MIN),
        log.created("t1"), log.created("t2"), log.created("t3"),
        log.result("t1", 0, 1, 0.5), log.result("t2", 0, 1, 0.3), log.result("t3", 0, 1, 0.4),
        log.promoted("t2", 0, 1),
        log.result("t2", 1, 3, 0.2));

    assertThat(study.rungs()).extracting(r -> r.resource, r -> r.results, r -> r.promoted)
        .containsExactly(tuple(1L, 3L, 1L), tuple(3L, 1L, 0L), tuple(9L, 0L, 0L), tuple(27L, 0L, 0L));
  }

  @Test
  void inFlightIsCreatedAndPromotedLessResultsAndFailures() {
    apply(log.accepted(Mode.MIN),
        log.created("t1"), log.created("t2"), log.created("t3"), log.created("t4"),
        log.result("t1", 0, 1, 0.5), log.result("t2", 0, 1, 0.3),
        log.promoted("t2", 0, 1),
        log.failed("t3", 0));

    assertThat(study.trialsCreated()).isEqualTo(4);
    assertThat(study.failed()).isEqualTo(1);
    assertThat(study.inFlight()).isEqualTo(4 + 1 - 2 - 1);
  }

  @Test
  void completionEndsTheStudyWithItsStatusAndReason() {
    apply(log.accepted(Mode.MIN), log.created("t1"),
        log.completed("COMPLETED", "every trial has finished and no result is promotable"));

    assertThat(study.ended()).isTrue();
    assertThat(study.rejected()).isFalse();
    assertThat(study.status()).isEqualTo("COMPLETED");
    assertThat(study.endReason()).isEqualTo("every trial has finished and no result is promotable");
    assertThat(study.inFlight()).isZero();
  }

  @Test
  void studyStoppedEarlyReportsWhy() {
    apply(log.accepted(Mode.MIN), log.completed("TIME_BUDGET", "10m budget spent"));

    assertThat(study.status()).isEqualTo("TIME_BUDGET");
    assertThat(study.endReason()).isEqualTo("10m budget spent");
  }

  @Test
  void rejectionEndsTheStudyWithItsProblems() {
    apply(log.rejected("eta: must be at least 2 (got 1)", "maxTrials: must be at least 1 (got 0)"));

    assertThat(study.ended()).isTrue();
    assertThat(study.rejected()).isTrue();
    assertThat(study.status()).isEqualTo("REJECTED");
    assertThat(study.problems())
        .containsExactly("eta: must be at least 2 (got 1)", "maxTrials: must be at least 1 (got 0)");
    assertThat(study.rungs()).isEmpty();
  }

  @Test
  void bestIsTheLatestImprovement() {
    apply(log.accepted(Mode.MIN),
        log.bestImproved("t1", 0, 1, 0.5), log.bestImproved("t2", 0, 1, 0.3), log.bestImproved("t1", 1, 3, 0.4));

    assertThat(study.best().getTrialId()).isEqualTo("t1");
    assertThat(study.best().getRung()).isEqualTo(1);
  }

  @Test
  void leaderboardShowsEachTrialAtTheHighestRungItReached() {
    apply(log.accepted(Mode.MIN),
        log.result("t1", 0, 1, 0.5), log.result("t1", 1, 3, 0.45), log.result("t2", 0, 1, 0.6));

    assertThat(study.leaderboard()).extracting(TrialResult::trialId, TrialResult::rung, TrialResult::resource,
            TrialResult::metric)
        .containsExactly(tuple("t1", 1, 3L, 0.45), tuple("t2", 0, 1L, 0.6));
  }

  @Test
  void leaderboardOfAMinimisingStudyPutsHigherRungsFirstThenLowerMetricsThenNaN() {
    apply(log.accepted(Mode.MIN),
        log.result("low-rung-best", 0, 1, 0.01),
        log.result("top-nan", 1, 3, Double.NaN),
        log.result("top-worse", 1, 3, 0.9),
        log.result("top-better", 1, 3, 0.2),
        log.result("low-rung-worse", 0, 1, 0.7));

    assertThat(study.leaderboard()).extracting(TrialResult::trialId)
        .containsExactly("top-better", "top-worse", "top-nan", "low-rung-best", "low-rung-worse");
  }

  @Test
  void leaderboardOfAMaximisingStudyPutsHigherMetricsFirstThenNaN() {
    apply(log.accepted(Mode.MAX),
        log.result("nan", 0, 1, Double.NaN),
        log.result("worse", 0, 1, 0.2),
        log.result("better", 0, 1, 0.9),
        log.result("negative", 0, 1, -3.0));

    assertThat(study.leaderboard()).extracting(TrialResult::trialId)
        .containsExactly("better", "worse", "negative", "nan");
  }

  @Test
  void nanRanksBelowADivergedMetric() {
    apply(log.accepted(Mode.MIN),
        log.result("nan", 0, 1, Double.NaN),
        log.result("diverged", 0, 1, Double.POSITIVE_INFINITY),
        log.result("fine", 0, 1, 0.3));

    assertThat(study.leaderboard()).extracting(TrialResult::trialId).containsExactly("fine", "diverged", "nan");
  }

  @Test
  void resultWithoutAMetricRanksAsNaN() {
    apply(log.accepted(Mode.MAX),
        log.next(EventType.RUNG_RESULT).setTrialId("silent").setRung(0).setResource(1L).build(),
        log.result("spoke", 0, 1, 0.1));

    assertThat(study.leaderboard()).extracting(TrialResult::trialId, TrialResult::metric, TrialResult::params)
        .containsExactly(tuple("spoke", 0.1, StudyEvents.params()), tuple("silent", Double.NaN, Map.of()));
  }

  @Test
  void paramOrderIsTheStudyFileOrder() {
    apply(log.accepted(Mode.MIN));

    assertThat(study.paramOrder()).containsExactly("lr", "layers");
  }

  @Test
  void orderedPutsTheStudyOrderFirstAndKeepsUnknownNames() {
    final Map<String, Object> params = new LinkedHashMap<>();
    params.put("extra", "x");
    params.put("layers", 2L);
    params.put("lr", 0.01);

    final Map<String, Object> ordered = StudyProjection.ordered(params, List.of("lr", "missing", "layers"));

    assertThat(ordered).containsExactly(Map.entry("lr", 0.01), Map.entry("layers", 2L), Map.entry("extra", "x"));
  }

  @Test
  void hyperbandResultsCountOnTheRungOfTheirResourceWhateverTheirBracket() {
    apply(log.next(EventType.STUDY_ACCEPTED).setSpec(StudySpec.newBuilder(StudyEvents.spec(Mode.MIN))
            .setScheduler(SchedulerKind.ASYNC_HYPERBAND).build()).build(),
        log.created("t1"), log.created("t2"),
        log.result("t1", 0, 1, 0.5), log.result("t2", 0, 3, 0.4));

    assertThat(study.rungs()).extracting(r -> r.resource, r -> r.results)
        .containsExactly(tuple(1L, 1L), tuple(3L, 1L), tuple(9L, 0L), tuple(27L, 0L));
    assertThat(study.leaderboard()).extracting(TrialResult::trialId).containsExactly("t2", "t1");
  }

  @Test
  void stoppingRulesCountStoppedTrialsAndContinuedOnesAsInFlight() {
    apply(log.next(EventType.STUDY_ACCEPTED).setSpec(StudySpec.newBuilder(StudyEvents.spec(Mode.MIN))
            .setScheduler(SchedulerKind.MEDIAN_STOPPING).setMaxResource(4).build()).build(),
        log.created("t1"), log.created("t2"),
        log.result("t1", 0, 1, 0.5), log.next(EventType.TRIAL_CONTINUED).setTrialId("t1").setRung(0)
            .setResource(1L).build(),
        log.result("t2", 0, 1, 0.9), log.next(EventType.TRIAL_STOPPED).setTrialId("t2").setRung(0)
            .setResource(1L).build());

    assertThat(study.rungs()).extracting(r -> r.resource).containsExactly(1L, 2L, 3L, 4L);
    assertThat(study.stopped()).isEqualTo(1);
    assertThat(study.inFlight()).isEqualTo(1);
  }

  @Test
  void theParetoFrontIsTheOneTheCompletedEventCarries() {
    final ParetoPoint point = ParetoPoint.newBuilder().setTrialId("t1").setRung(3)
        .setMetrics(Map.of("val_loss", 0.2, "latency", 3.0)).setParams(StudyEvents.params()).build();
    apply(log.accepted(Mode.MIN), log.next(EventType.STUDY_COMPLETED).setStatus("COMPLETED")
        .setParetoFront(List.of(point)).build());

    assertThat(study.paretoFront()).containsExactly(point);
  }

  private void apply(final StudyEvent... events) {
    for (final StudyEvent event : events) {
      study.apply(event);
    }
  }
}
