package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole studies run against the policy, with one worker and with many completing out of order. */
class AshaSimulationTest {

  @Test
  void sequentialStudyOf27TrialsFillsTheRungsOfTable1() {
    // given one worker, eta 3, R 27, and results that get worse with every new trial
    final AshaPolicy policy = policy(RungSchedule.of(1, 27, 3, 0), 3, Direction.MINIMIZE);
    // when
    new StudySimulation(() -> policy, 27, 1, new Random(1), (trial, rung) -> StudySimulation.trialNumber(trial))
        .run();
    // then
    assertThat(resultsPerRung(policy, 4)).containsExactly(27L, 9L, 3L, 1L);
  }

  @Test
  void sequentialStudyOf256TrialsFillsTheRungsOfTable2() {
    // given one worker, eta 4, R 256, and results that get worse with every new trial
    final AshaPolicy policy = policy(RungSchedule.of(1, 256, 4, 0), 4, Direction.MINIMIZE);
    // when
    new StudySimulation(() -> policy, 256, 1, new Random(1), (trial, rung) -> StudySimulation.trialNumber(trial))
        .run();
    // then
    assertThat(resultsPerRung(policy, 5)).containsExactly(256L, 64L, 16L, 4L, 1L);
  }

  @Test
  void sequentialStudyWithRandomResultsPromotesAtLeastEveryTopCandidate() {
    for (int seed = 0; seed < 50; seed++) {
      // given one worker and random results: ASHA may promote a trial that later falls out of the
      // top 1/eta, so a rung can end with more than floor(n / eta) promotions, never fewer
      final Random random = new Random(seed);
      final AshaPolicy policy = policy(RungSchedule.of(1, 27, 3, 0), 3, Direction.MINIMIZE);
      // when
      new StudySimulation(() -> policy, 27, 1, random, (trial, rung) -> random.nextDouble()).run();
      // then
      assertThat(policy.results(0)).isEqualTo(27);
      for (int rung = 0; rung < 3; rung++) {
        assertThat(policy.results(rung + 1)).as("seed %d rung %d", seed, rung + 1)
            .isEqualTo(policy.promoted(rung))
            .isGreaterThanOrEqualTo(policy.results(rung) / 3)
            .isLessThanOrEqualTo(policy.results(rung) - 2);
      }
      assertThat(policy.results(3)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void everyPromotionMatchesABruteForceReferenceUnderAsynchronousCompletion() {
    final long[] contestedDecisions = {0};
    for (int seed = 0; seed < 300; seed++) {
      // given a random study shape, several workers, jobs completing in random order, a changing
      // number of workers, many ties, some NaN and infinite results
      final Random random = new Random(seed);
      final int eta = 2 + random.nextInt(3);
      final RungSchedule schedule = RungSchedule.of(1, 1 + random.nextInt(200), eta, 0);
      final Direction direction = random.nextBoolean() ? Direction.MINIMIZE : Direction.MAXIMIZE;
      final AshaPolicy policy = policy(schedule, eta, direction);
      final ReferenceAsha reference = new ReferenceAsha(schedule, eta, direction);
      final int trials = 1 + random.nextInt(150);
      final String context = "seed " + seed;
      final List<AshaPromotion> checked = new ArrayList<>();
      // when
      final List<AshaPromotion> promotions = new StudySimulation(
          () -> policy, trials, 1 + random.nextInt(8), random, (trial, rung) -> roughResult(random))
          .changingParallelism(10)
          .observedBy(new StudySimulation.Observer() {
            @Override
            public void decided(final AshaPolicy p, final Optional<AshaPromotion> promotion) {
              contestedDecisions[0] += reference.promotableRungs() > 1 ? 1 : 0;
              assertThat(promotion).as(context).isEqualTo(reference.next());
              promotion.ifPresent(made -> {
                assertThat(reference.results(made.fromRung())).as(context).isGreaterThanOrEqualTo(eta);
                reference.promote(made.fromRung(), made.trialId());
                checked.add(made);
              });
            }

            @Override
            public void recorded(final StudySimulation.Job job, final double metric) {
              reference.record(job.rung(), job.trialId(), metric);
            }
          })
          .run();
      // then
      assertThat(checked).as(context).isEqualTo(promotions);
      assertThat(policy.results(0)).as(context).isEqualTo(trials);
      for (int rung = 0; rung < schedule.size(); rung++) {
        assertThat(policy.results(rung)).as(context).isEqualTo(reference.results(rung));
        assertThat(policy.promoted(rung)).as(context)
            .isLessThanOrEqualTo(Math.max(0, policy.results(rung) - (eta - 1)));
      }
    }
    assertThat(contestedDecisions[0]).as("decisions with more than one promotable rung").isGreaterThan(100);
  }

  @Test
  void aFreshPolicyForEveryOperationMakesTheSameDecisions() {
    // given one store whose policy lives on, and one whose policy is rebuilt before every operation
    final RungSchedule schedule = RungSchedule.of(1, 81, 3, 0);
    final AshaPolicy longLived = policy(schedule, 3, Direction.MAXIMIZE);
    final InMemoryOrderedStore store = new InMemoryOrderedStore();
    // when both run the same study
    final List<AshaPromotion> expected = new StudySimulation(() -> longLived, 200, 5, new Random(7),
        (trial, rung) -> (StudySimulation.trialNumber(trial) * 31 + rung * 7) % 50).run();
    final List<AshaPromotion> actual = new StudySimulation(
        () -> new AshaPolicy(store, "study", schedule, 3, Direction.MAXIMIZE), 200, 5, new Random(7),
        (trial, rung) -> (StudySimulation.trialNumber(trial) * 31 + rung * 7) % 50).run();
    // then
    assertThat(actual).hasSizeGreaterThan(60).isEqualTo(expected);
  }

  private static double roughResult(final Random random) {
    final int draw = random.nextInt(100);
    if (draw < 4) {
      return Double.NaN;
    }
    if (draw < 6) {
      return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    return (random.nextInt(24) - 12) / 4.0;
  }

  private static AshaPolicy policy(final RungSchedule schedule, final int eta, final Direction direction) {
    return new AshaPolicy(new InMemoryOrderedStore(), "study", schedule, eta, direction);
  }

  private static List<Long> resultsPerRung(final AshaPolicy policy, final int rungs) {
    final List<Long> results = new ArrayList<>();
    for (int rung = 0; rung < rungs; rung++) {
      results.add(policy.results(rung));
    }
    return results;
  }
}
