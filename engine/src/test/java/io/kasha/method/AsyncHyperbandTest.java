package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsyncHyperbandTest {

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void bracketSStartsAtMinResourceTimesEtaToTheS() {
    final AsyncHyperband hyperband = roundRobin(4);
    assertThat(List.of(0, 1, 2, 3)).extracting(b -> hyperband.schedule(b).resources()).containsExactly(
        List.of(1L, 3L, 9L, 27L), List.of(3L, 9L, 27L), List.of(9L, 27L), List.of(27L));
  }

  @Test
  void countsTheBracketsThatResourcesAndEtaAllow() {
    assertThat(AsyncHyperband.maxBrackets(1, 27, 3)).isEqualTo(4);
    assertThat(AsyncHyperband.maxBrackets(1, 26, 3)).isEqualTo(3);
    assertThat(AsyncHyperband.maxBrackets(5, 5, 2)).isEqualTo(1);
    assertThat(AsyncHyperband.maxBrackets(1, Long.MAX_VALUE, 2)).isEqualTo(63);
    assertThatIllegalArgumentException().isThrownBy(() -> roundRobin(5));
    assertThatIllegalArgumentException().isThrownBy(() -> roundRobin(0));
  }

  @Test
  void roundRobinLoopsOverTheBracketsAndKeepsEachTrialsBracket() {
    final AsyncHyperband hyperband = roundRobin(4);
    assertThat(List.of("a", "b", "c", "d", "e")).extracting(hyperband::assign).containsExactly(0, 1, 2, 3, 0);
    assertThat(hyperband.assign("b")).isEqualTo(1);
    assertThat(hyperband.assign("f")).isEqualTo(1);
  }

  @Test
  void weightedRuleDrawsBracketsInProportionToETimesTheirRungCount() {
    // given rung counts 4, 3, 2, 1: probabilities e^0, e^-1, e^-2, e^-3 normalised
    final AsyncHyperband hyperband = new AsyncHyperband(store, "study", 1, 27, 3, Direction.MINIMIZE, 4,
        BracketRule.WEIGHTED, 42);
    final int[] counts = new int[4];
    final int trials = 20_000;
    for (int i = 0; i < trials; i++) {
      counts[hyperband.assign("t" + i)]++;
    }
    final double total = 1 + Math.exp(-1) + Math.exp(-2) + Math.exp(-3);
    for (int b = 0; b < 4; b++) {
      assertThat(counts[b] / (double) trials).as("bracket %d", b).isCloseTo(Math.exp(-b) / total,
          org.assertj.core.data.Offset.offset(0.015));
    }
  }

  @Test
  void weightedRuleIsTheSameForTheSameSeedAndDiffersForAnother() {
    assertThat(weightedAssignments(1)).isEqualTo(weightedAssignments(1)).isNotEqualTo(weightedAssignments(2));
  }

  @Test
  void promotesByAshaAmongTheTrialsOfOneBracketOnly() {
    // given bracket 0 (rungs 1 3 9 27) holds two results and bracket 1 one
    final AsyncHyperband hyperband = roundRobin(2);
    for (final String trial : List.of("a", "b", "c", "d", "e", "f")) {
      hyperband.assign(trial);
    }
    hyperband.record("a", 0, 0.5);
    hyperband.record("c", 0, 0.4);
    hyperband.record("b", 0, 0.1);
    hyperband.record("d", 0, 0.2);
    assertThat(hyperband.nextPromotion()).isEmpty();
    // when bracket 0 gets its third result
    hyperband.record("e", 0, 0.6);
    // then the best of bracket 0 is promoted, not b of bracket 1
    final BracketPromotion promotion = hyperband.nextPromotion().orElseThrow();
    assertThat(promotion.bracket()).isZero();
    assertThat(promotion.trialId()).isEqualTo("c");
    assertThat(promotion.fromResource()).isEqualTo(1);
    assertThat(promotion.toResource()).isEqualTo(3);
    assertThat(promotion.reason()).startsWith("bracket 0: best not-yet-promoted result of rung 0 (0.4)");
    hyperband.markPromoted(promotion);
    assertThat(hyperband.nextPromotion()).isEmpty();
  }

  @Test
  void prefersThePromotionToTheLargestResource() {
    // given a candidate in bracket 0 rung 0 (to 3) and one in bracket 1 rung 0 (to 9)
    final AsyncHyperband hyperband = roundRobin(2);
    for (int i = 0; i < 6; i++) {
      hyperband.assign("t" + i);
      hyperband.record("t" + i, 0, i);
    }
    // then bracket 1 goes first
    final BracketPromotion first = hyperband.nextPromotion().orElseThrow();
    assertThat(first.bracket()).isEqualTo(1);
    assertThat(first.trialId()).isEqualTo("t1");
    assertThat(first.toResource()).isEqualTo(9);
    hyperband.markPromoted(first);
    assertThat(hyperband.nextPromotion()).map(BracketPromotion::trialId).contains("t0");
  }

  @Test
  void refusesAResultOfATrialWithoutBracket() {
    assertThatIllegalArgumentException().isThrownBy(() -> roundRobin(2).record("x", 0, 0.1))
        .withMessageContaining("assign it first");
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    final Random random = new Random(3);
    final AsyncHyperband whole = weighted(new InMemoryOrderedStore());
    final InMemoryOrderedStore restarted = new InMemoryOrderedStore();
    AsyncHyperband current = weighted(restarted);
    for (int i = 0; i < 300; i++) {
      if (i % 50 == 0) {
        current = weighted(restarted);
      }
      final String trial = "t" + i;
      assertThat(current.assign(trial)).isEqualTo(whole.assign(trial));
      final double metric = random.nextDouble();
      current.record(trial, 0, metric);
      whole.record(trial, 0, metric);
      final Optional<BracketPromotion> promotion = whole.nextPromotion();
      assertThat(current.nextPromotion()).isEqualTo(promotion);
      promotion.ifPresent(p -> {
        whole.markPromoted(p);
        weighted(restarted).markPromoted(p);
      });
    }
  }

  private List<Integer> weightedAssignments(final long seed) {
    final AsyncHyperband hyperband = new AsyncHyperband(new InMemoryOrderedStore(), "study", 1, 81, 3,
        Direction.MINIMIZE, 5, BracketRule.WEIGHTED, seed);
    final List<Integer> brackets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      brackets.add(hyperband.assign("t" + i));
    }
    return brackets;
  }

  private static AsyncHyperband weighted(final OrderedStore store) {
    return new AsyncHyperband(store, "study", 1, 27, 3, Direction.MAXIMIZE, 3, BracketRule.WEIGHTED, 9);
  }

  private AsyncHyperband roundRobin(final int brackets) {
    return new AsyncHyperband(store, "study", 1, 27, 3, Direction.MINIMIZE, brackets, BracketRule.ROUND_ROBIN, 0);
  }
}
