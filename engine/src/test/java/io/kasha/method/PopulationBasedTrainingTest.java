package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PopulationBasedTrainingTest {

  private static final List<PbtParam> MUTATIONS = List.of(
      new PbtParam.Range("lr", 1e-4, 1.0, false, true),
      new PbtParam.Range("layers", 1, 8, true, false),
      new PbtParam.Choices("optimizer", List.of("sgd", "adam", "rmsprop")));

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void quantileHoldsTheRoundedFractionAtMostHalfThePopulation() {
    final PopulationBasedTraining quarter = pbt(0.25, 0.25, List.of(1.2, 0.8), 0);
    assertThat(List.of(1L, 2L, 4L, 6L, 10L, 14L)).extracting(quarter::quantileSize)
        .containsExactly(0L, 0L, 1L, 2L, 2L, 4L);
    final PopulationBasedTraining half = pbt(0.5, 0.25, List.of(1.2, 0.8), 0);
    assertThat(List.of(2L, 3L, 5L)).extracting(half::quantileSize).containsExactly(1L, 1L, 2L);
  }

  @Test
  void followsTheWorkedExampleOfItsDocumentation() {
    // given four trials that reported once within the interval
    final PopulationBasedTraining pbt = pbt(0.25, 0.25, List.of(1.2, 0.8), 1);
    addFour(pbt);
    for (final String trial : List.of("a", "b", "c", "d")) {
      assertThat(pbt.record(trial, 1, 0.0)).isInstanceOf(PbtDecision.Continue.class);
    }
    // when they reach step 2, the perturbation interval
    assertThat(pbt.record("a", 2, 0.9)).isInstanceOf(PbtDecision.Continue.class);
    assertThat(pbt.record("b", 2, 0.5)).isInstanceOf(PbtDecision.Continue.class);
    assertThat(pbt.record("c", 2, 0.7).reason()).isEqualTo("neither top nor bottom 1 of 4 at step 2");
    final PbtDecision d = pbt.record("d", 2, 0.1);
    // then the bottom trial copies the top one and explores its parameters
    assertThat(d).isInstanceOf(PbtDecision.Exploit.class);
    final PbtDecision.Exploit exploit = (PbtDecision.Exploit) d;
    assertThat(exploit.donorId()).isEqualTo("a");
    assertThat(exploit.donorStep()).isEqualTo(2);
    assertThat(exploit.oldParams()).isEqualTo(Map.of("lr", 0.01, "layers", 4L, "optimizer", "sgd", "seed", 4L));
    assertThat(exploit.newParams()).containsEntry("seed", 1L);
    assertThat(exploit.operations()).containsOnlyKeys("lr", "layers", "optimizer");
    assertThat(pbt.params("d")).isEqualTo(exploit.newParams());
    assertThat(pbt.lineage("d")).containsExactly(exploit);
    assertThat(pbt.lineage("a")).isEmpty();
  }

  @Test
  void perturbsByAFactorWithinTheRangeAndShiftsAChoice() {
    // given no resampling and a single factor 2
    final PopulationBasedTraining pbt = pbt(0.5, 0.0, List.of(2.0), 1);
    pbt.addTrial("a", Map.of("lr", 0.6, "layers", 3L, "optimizer", "adam"));
    pbt.addTrial("b", Map.of("lr", 0.1, "layers", 1L, "optimizer", "sgd"));
    pbt.record("a", 2, 1.0);
    // when b, the worse of two, explores a's parameters
    final PbtDecision.Exploit exploit = (PbtDecision.Exploit) pbt.record("b", 2, 0.0);
    // then lr 0.6 * 2 is held at the high bound, layers 3 * 2 = 6, adam moves to a neighbour
    assertThat(exploit.newParams()).containsEntry("lr", 1.0).containsEntry("layers", 6L);
    assertThat(exploit.newParams().get("optimizer")).isIn("sgd", "rmsprop");
    assertThat(exploit.operations()).containsEntry("lr", "* 2.0").containsEntry("layers", "* 2.0");
    assertThat(exploit.operations().get("optimizer")).isIn("shift left", "shift right");
  }

  @Test
  void resamplesWithinTheRangeWhenResamplingAlways() {
    for (long seed = 1; seed <= 50; seed++) {
      final PopulationBasedTraining pbt = new PopulationBasedTraining(new InMemoryOrderedStore(), "s",
          Direction.MAXIMIZE, 2, 0.5, 1.0, List.of(2.0), MUTATIONS, seed);
      pbt.addTrial("a", Map.of("lr", 0.5, "layers", 2L, "optimizer", "adam"));
      pbt.addTrial("b", Map.of("lr", 0.5, "layers", 2L, "optimizer", "adam"));
      pbt.record("a", 2, 1.0);
      final PbtDecision.Exploit exploit = (PbtDecision.Exploit) pbt.record("b", 2, 0.0);
      assertThat(exploit.operations()).containsOnly(
          Map.entry("lr", "resample"), Map.entry("layers", "resample"), Map.entry("optimizer", "resample"));
      assertThat((Double) exploit.newParams().get("lr")).isBetween(1e-4, 1.0);
      assertThat((Long) exploit.newParams().get("layers")).isBetween(1L, 8L);
      assertThat(exploit.newParams().get("optimizer")).isIn("sgd", "adam", "rmsprop");
    }
  }

  @Test
  void aValueOutsideTheChoicesIsResampled() {
    final PopulationBasedTraining pbt = pbt(0.5, 0.0, List.of(1.2), 5);
    pbt.addTrial("a", Map.of("lr", 0.5, "layers", 2L, "optimizer", "lbfgs"));
    pbt.addTrial("b", Map.of("lr", 0.5, "layers", 2L, "optimizer", "sgd"));
    pbt.record("a", 2, 1.0);
    final PbtDecision.Exploit exploit = (PbtDecision.Exploit) pbt.record("b", 2, 0.0);
    assertThat(exploit.operations()).containsEntry("optimizer", "resample");
  }

  @Test
  void numericChoicesMatchTheirValuesAfterTheTripThroughTheStore() {
    final PopulationBasedTraining pbt = new PopulationBasedTraining(store, "study", Direction.MAXIMIZE, 2, 0.5, 0.0,
        List.of(1.2), List.of(new PbtParam.Choices("batch", List.of(16, 32, 64))), 1);
    pbt.addTrial("a", Map.of("batch", 32));
    pbt.addTrial("b", Map.of("batch", 64));
    pbt.record("a", 2, 1.0);
    final PbtDecision.Exploit exploit = (PbtDecision.Exploit) pbt.record("b", 2, 0.0);
    assertThat(exploit.operations().get("batch")).isIn("shift left", "shift right");
    assertThat(exploit.newParams().get("batch")).isIn(16L, 64L);
  }

  @Test
  void nanResultsRankLastAndAreExploited() {
    final PopulationBasedTraining pbt = pbt(0.25, 0.25, List.of(1.2, 0.8), 1);
    addFour(pbt);
    pbt.record("a", 2, 0.1);
    pbt.record("b", 2, 0.2);
    pbt.record("c", 2, 0.3);
    assertThat(pbt.record("d", 2, Double.NaN)).isInstanceOf(PbtDecision.Exploit.class);
  }

  @Test
  void nothingHappensWithinTheIntervalOrWithOneTrial() {
    final PopulationBasedTraining pbt = pbt(0.5, 0.25, List.of(1.2, 0.8), 1);
    pbt.addTrial("a", Map.of("lr", 0.1));
    assertThat(pbt.record("a", 2, 0.1).reason()).isEqualTo("neither top nor bottom 0 of 1 at step 2");
    assertThat(pbt.record("a", 3, 0.1).reason()).isEqualTo(
        "step 3 is within the perturbation interval 2 after step 2");
    assertThat(pbt.record("a", 3, 0.5).reason()).isEqualTo("already recorded up to step 3");
    assertThatIllegalArgumentException().isThrownBy(() -> pbt.record("nobody", 1, 0.1));
  }

  @Test
  void theExploitingTrialResumesAtTheDonorsStep() {
    final PopulationBasedTraining pbt = pbt(0.5, 0.25, List.of(1.2, 0.8), 1);
    pbt.addTrial("a", Map.of("lr", 0.1));
    pbt.addTrial("b", Map.of("lr", 0.2));
    pbt.record("a", 2, 1.0);
    final PbtDecision.Exploit exploit = (PbtDecision.Exploit) pbt.record("b", 3, 0.0);
    assertThat(exploit.donorStep()).isEqualTo(2);
    // then b's next segment, from step 2, is judged at step 4
    assertThat(pbt.record("b", 3, 0.5).reason()).isEqualTo("step 3 is within the perturbation interval 2 after step 2");
    assertThat(pbt.record("b", 4, 2.0)).isInstanceOf(PbtDecision.Continue.class);
  }

  @Test
  void theSameSeedGivesTheSameLineageAndAnotherSeedAnother() {
    assertThat(lineages(7)).isEqualTo(lineages(7)).isNotEqualTo(lineages(8))
        .filteredOn(PbtDecision.Exploit.class::isInstance).hasSizeGreaterThan(10);
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    assertThat(lineages(7, true)).isEqualTo(lineages(7, false));
  }

  private List<PbtDecision> lineages(final long seed) {
    return lineages(seed, false);
  }

  /** A population of 8 over 30 rounds with seeded results; every decision, optionally restarting each time. */
  private static List<PbtDecision> lineages(final long seed, final boolean restartEachResult) {
    final InMemoryOrderedStore own = new InMemoryOrderedStore();
    PopulationBasedTraining pbt = PopulationBasedTraining.withDefaults(own, "s", Direction.MINIMIZE, 3, MUTATIONS,
        seed);
    final Random results = new Random(1);
    for (int t = 0; t < 8; t++) {
      pbt.addTrial("t" + t, Map.of("lr", 0.001 * (t + 1), "layers", (long) (t % 8 + 1), "optimizer", "adam"));
    }
    final List<PbtDecision> decisions = new ArrayList<>();
    final long[] steps = new long[8];
    for (int i = 0; i < 240; i++) {
      if (restartEachResult) {
        pbt = PopulationBasedTraining.withDefaults(own, "s", Direction.MINIMIZE, 3, MUTATIONS, seed);
      }
      final int t = results.nextInt(8);
      steps[t]++;
      final PbtDecision decision = pbt.record("t" + t, steps[t], results.nextDouble());
      if (decision instanceof PbtDecision.Exploit exploit) {
        steps[t] = exploit.donorStep();
      }
      decisions.add(decision);
    }
    for (int t = 0; t < 8; t++) {
      decisions.addAll(pbt.lineage("t" + t));
    }
    return decisions;
  }

  private static void addFour(final PopulationBasedTraining pbt) {
    pbt.addTrial("a", Map.of("lr", 0.01, "layers", 1L, "optimizer", "adam", "seed", 1L));
    pbt.addTrial("b", Map.of("lr", 0.02, "layers", 2L, "optimizer", "adam", "seed", 2L));
    pbt.addTrial("c", Map.of("lr", 0.03, "layers", 3L, "optimizer", "adam", "seed", 3L));
    pbt.addTrial("d", Map.of("lr", 0.01, "layers", 4L, "optimizer", "sgd", "seed", 4L));
  }

  private PopulationBasedTraining pbt(
      final double quantile, final double resample, final List<Double> factors, final long seed) {
    return new PopulationBasedTraining(store, "study", Direction.MAXIMIZE, 2, quantile, resample, factors, MUTATIONS,
        seed);
  }
}
