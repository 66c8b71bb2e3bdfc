package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiObjectiveAshaTest {

  private static final RungSchedule RUNGS_1_3_9 = RungSchedule.of(1, 9, 3, 0);
  private static final List<Objective> BOTH_MIN = List.of(
      new Objective("loss", Direction.MINIMIZE), new Objective("latency", Direction.MINIMIZE));

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void followsTheWorkedExampleOfItsDocumentation() {
    final MultiObjectiveAsha asha = crowding(1);
    record(asha, 0, "a", 1, 5, "b", 2, 2, "c", 5, 1, "d", 3, 3, "e", 4, 4, "f", 6, 6);
    final MoPromotion first = asha.nextPromotion().orElseThrow();
    assertThat(first).isEqualTo(new MoPromotion("a", 0, List.of(1.0, 5.0), 1, 0, 6, 2));
    assertThat(first.reason()).isEqualTo(
        "rank 1 of 6 in rung 0 (front 0, [1.0, 5.0]), the best not-yet-promoted within the top 2");
    asha.markPromoted(first);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("c");
    asha.markPromoted(asha.nextPromotion().orElseThrow());
    assertThat(asha.nextPromotion()).isEmpty();
  }

  @Test
  void promotesNothingBeforeARungHoldsEtaResults() {
    final MultiObjectiveAsha asha = crowding(1);
    record(asha, 0, "a", 1, 1, "b", 2, 2);
    assertThat(asha.nextPromotion()).isEmpty();
    record(asha, 0, "c", 3, 3);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("a");
  }

  @Test
  void minRungSizeHoldsPromotionsUntilTheRungHoldsThatMany() {
    final MultiObjectiveAsha asha = crowding(5);
    record(asha, 0, "a", 1, 1, "b", 2, 2, "c", 3, 3, "d", 4, 4);
    assertThat(asha.nextPromotion()).isEmpty();
    record(asha, 0, "e", 5, 5);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("a");
  }

  @Test
  void promotesFromTheHighestRungFirst() {
    final MultiObjectiveAsha asha = crowding(1);
    record(asha, 0, "a", 1, 1, "b", 2, 2, "c", 3, 3, "d", 4, 4, "e", 5, 5, "f", 6, 6);
    record(asha, 1, "a", 2, 2, "b", 1, 1, "x", 3, 3);
    assertThat(asha.nextPromotion()).map(MoPromotion::fromRung).contains(1);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("b");
  }

  @Test
  void tiesGoToTheEarlierResultAndNanRanksLast() {
    // given a NaN loss (dominated by b and c) and two equal results
    final MultiObjectiveAsha asha = crowding(1);
    record(asha, 0, "a", Double.NaN, 1, "b", 1, 1, "c", 1, 1);
    // then the earlier of the equal results goes first
    final MoPromotion first = asha.nextPromotion().orElseThrow();
    assertThat(first.trialId()).isEqualTo("b");
    asha.markPromoted(first);
    // when the rung doubles, c is the second candidate and a, in front 1, never is
    record(asha, 0, "d", 2, 2, "e", 0.5, Double.POSITIVE_INFINITY, "f", Double.NaN, Double.NaN);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("c");
    asha.markPromoted(asha.nextPromotion().orElseThrow());
    assertThat(asha.nextPromotion()).isEmpty();
  }

  @Test
  void foldsMaximisedObjectives() {
    final MultiObjectiveAsha asha = new MultiObjectiveAsha(store, "study", RUNGS_1_3_9, 3,
        List.of(new Objective("accuracy", Direction.MAXIMIZE), new Objective("latency", Direction.MINIMIZE)),
        TieBreak.WEIGHTED_SUM, List.of(1.0, 1.0), 1);
    record(asha, 0, "a", 0.5, 2, "b", 0.9, 1, "c", 0.7, 3);
    assertThat(asha.paretoFront()).extracting(MoResult::trialId).containsExactly("b");
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("b");
  }

  @Test
  void weightedSumBreaksTiesWithinAFront() {
    final MultiObjectiveAsha asha = new MultiObjectiveAsha(store, "study", RUNGS_1_3_9, 3, BOTH_MIN,
        TieBreak.WEIGHTED_SUM, List.of(0.0, 1.0), 1);
    record(asha, 0, "a", 1, 5, "b", 2, 2, "c", 5, 1);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("c");
  }

  @Test
  void weightedSumWithoutWeightsWeighsEveryObjectiveAlike() {
    final MultiObjectiveAsha asha = new MultiObjectiveAsha(store, "study", RUNGS_1_3_9, 3, BOTH_MIN,
        TieBreak.WEIGHTED_SUM, List.of(), 1);
    record(asha, 0, "a", 1, 5, "b", 2, 2, "c", 5, 1);
    assertThat(asha.nextPromotion()).map(MoPromotion::trialId).contains("b");
  }

  @Test
  void theStudysResultIsTheParetoFrontOfTheHighestRungReached() {
    final MultiObjectiveAsha asha = crowding(1);
    assertThat(asha.paretoFront()).isEmpty();
    record(asha, 0, "a", 1, 5, "b", 2, 2, "c", 5, 1, "d", 3, 3);
    assertThat(asha.paretoFront()).extracting(MoResult::trialId).containsExactly("a", "b", "c");
    record(asha, 1, "a", 2, 6, "c", 4, 0.5);
    assertThat(asha.paretoFront()).containsExactly(
        new MoResult("a", 1, List.of(2.0, 6.0)), new MoResult("c", 1, List.of(4.0, 0.5)));
  }

  @Test
  void paretoFrontAgreesWithBruteForceOnRandomPoints() {
    final Random random = new Random(23);
    for (int round = 0; round < 50; round++) {
      final MultiObjectiveAsha asha = new MultiObjectiveAsha(new InMemoryOrderedStore(), "s", RUNGS_1_3_9, 3,
          List.of(new Objective("x", Direction.MINIMIZE), new Objective("y", Direction.MAXIMIZE),
              new Objective("z", Direction.MINIMIZE)), TieBreak.CROWDING_DISTANCE, List.of(), 1);
      final int n = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        asha.record(0, "t" + i, List.of((double) random.nextInt(8), (double) random.nextInt(8),
            random.nextInt(15) == 0 ? Double.NaN : random.nextInt(8)));
      }
      final List<MoResult> results = asha.results(0);
      final List<MoResult> bruteForce = new ArrayList<>();
      for (final MoResult candidate : results) {
        if (results.stream().noneMatch(other -> dominates(other, candidate))) {
          bruteForce.add(candidate);
        }
      }
      assertThat(asha.paretoFront()).as("round %d", round).isEqualTo(bruteForce);
    }
  }

  @Test
  void recordsEachTrialOncePerRungAndRejectsWrongInput() {
    final MultiObjectiveAsha asha = crowding(1);
    assertThat(asha.record(0, "a", List.of(1.0, 1.0))).isTrue();
    assertThat(asha.record(0, "a", List.of(0.0, 0.0))).isFalse();
    assertThatIllegalArgumentException().isThrownBy(() -> asha.record(0, "b", List.of(1.0)));
    assertThatIllegalArgumentException().isThrownBy(() -> asha.record(3, "b", List.of(1.0, 1.0)));
    assertThatIllegalArgumentException().isThrownBy(
        () -> asha.markPromoted(new MoPromotion("zz", 0, List.of(1.0, 1.0), 1, 0, 1, 0)));
    assertThatIllegalArgumentException().isThrownBy(() -> new MultiObjectiveAsha(store, "s", RUNGS_1_3_9, 3,
        BOTH_MIN.subList(0, 1), TieBreak.CROWDING_DISTANCE, List.of(), 1));
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    final Random random = new Random(29);
    final MultiObjectiveAsha whole = new MultiObjectiveAsha(new InMemoryOrderedStore(), "s", RUNGS_1_3_9, 3,
        BOTH_MIN, TieBreak.CROWDING_DISTANCE, List.of(), 2);
    for (int i = 0; i < 120; i++) {
      final MultiObjectiveAsha restarted = new MultiObjectiveAsha(store, "s", RUNGS_1_3_9, 3, BOTH_MIN,
          TieBreak.CROWDING_DISTANCE, List.of(), 2);
      final Optional<MoPromotion> promotion = whole.nextPromotion();
      assertThat(restarted.nextPromotion()).isEqualTo(promotion);
      if (promotion.isPresent() && random.nextBoolean()) {
        final MoPromotion p = promotion.get();
        whole.markPromoted(p);
        restarted.markPromoted(p);
        final List<Double> metrics = List.of(random.nextDouble(), random.nextDouble());
        whole.record(p.toRung(), p.trialId(), metrics);
        restarted.record(p.toRung(), p.trialId(), metrics);
      } else {
        final List<Double> metrics = List.of(random.nextDouble(), random.nextDouble());
        whole.record(0, "t" + i, metrics);
        restarted.record(0, "t" + i, metrics);
      }
    }
    assertThat(new MultiObjectiveAsha(store, "s", RUNGS_1_3_9, 3, BOTH_MIN, TieBreak.CROWDING_DISTANCE, List.of(), 2)
        .paretoFront()).isEqualTo(whole.paretoFront()).isNotEmpty();
  }

  /** Brute force on the raw values: x and z minimised, y maximised, NaN worst. */
  private static boolean dominates(final MoResult a, final MoResult b) {
    boolean better = false;
    for (int m = 0; m < 3; m++) {
      final double x = worstIfNan(a.metrics().get(m), m == 1);
      final double y = worstIfNan(b.metrics().get(m), m == 1);
      final boolean worse = m == 1 ? x < y : x > y;
      if (worse) {
        return false;
      }
      better |= x != y;
    }
    return better;
  }

  private static double worstIfNan(final double value, final boolean maximised) {
    return Double.isNaN(value) ? (maximised ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : value;
  }

  private MultiObjectiveAsha crowding(final long minRungSize) {
    return new MultiObjectiveAsha(store, "study", RUNGS_1_3_9, 3, BOTH_MIN, TieBreak.CROWDING_DISTANCE, List.of(),
        minRungSize);
  }

  private static void record(final MultiObjectiveAsha asha, final int rung, final Object... triples) {
    for (int i = 0; i < triples.length; i += 3) {
      asha.record(rung, (String) triples[i], List.of(number(triples[i + 1]), number(triples[i + 2])));
    }
  }

  private static double number(final Object value) {
    return ((Number) value).doubleValue();
  }
}
