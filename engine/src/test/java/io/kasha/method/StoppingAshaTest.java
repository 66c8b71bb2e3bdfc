package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoppingAshaTest {

  private static final RungSchedule RUNGS_1_3_9 = RungSchedule.of(1, 9, 3, 0);

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void followsTheWorkedExampleOfItsDocumentation() {
    final StoppingAsha rule = rule(3, Direction.MINIMIZE, 1);
    assertThat(actions(rule, 0, "a", 0.5, "b", 0.6, "c", 0.4, "d", 0.45, "e", 0.55))
        .containsExactly(Verdict.Action.CONTINUE, Verdict.Action.STOP, Verdict.Action.CONTINUE,
            Verdict.Action.CONTINUE, Verdict.Action.STOP);
  }

  @Test
  void explainsEachVerdictWithTheCutoff() {
    final StoppingAsha rule = rule(3, Direction.MINIMIZE, 1);
    rule.record(0, "a", 0.5);
    rule.record(0, "b", 0.6);
    rule.record(0, "c", 0.4);
    assertThat(rule.record(0, "d", 0.45).reason())
        .isEqualTo("continued: in the top 2 of 4 results of rung 0 (0.45), cut-off 0.45");
    assertThat(rule.record(0, "e", 0.55).reason())
        .isEqualTo("stopped: outside the top 2 of 5 results of rung 0 (0.55), cut-off 0.45");
  }

  @Test
  void firstTrialToReachARungContinuesEvenWithFewerThanEtaResults() {
    final StoppingAsha rule = rule(3, Direction.MAXIMIZE, 1);
    assertThat(rule.record(1, "a", 0.1).continues()).isTrue();
    assertThat(rule.record(1, "b", 0.05).continues()).isFalse();
    assertThat(rule.record(1, "c", 0.2).continues()).isTrue();
  }

  @Test
  void tiesGoToTheEarlierResult() {
    final StoppingAsha rule = rule(2, Direction.MINIMIZE, 1);
    rule.record(0, "a", 0.5);
    assertThat(rule.record(0, "b", 0.5).continues()).isFalse();
  }

  @Test
  void nanAndInfiniteResultsRankLast() {
    // given maximising, a NaN result first
    final StoppingAsha rule = rule(3, Direction.MAXIMIZE, 1);
    assertThat(rule.record(0, "a", Double.NaN).continues()).isTrue();
    // when a finite result arrives it beats the NaN, and +infinity ranks after every finite result
    assertThat(rule.record(0, "b", -5).continues()).isTrue();
    assertThat(rule.record(0, "c", Double.POSITIVE_INFINITY).continues()).isFalse();
    assertThat(rule.record(0, "d", Double.NaN).continues()).isFalse();
  }

  @Test
  void minRungSizeLetsEveryTrialContinueUntilTheRungHoldsThatMany() {
    final StoppingAsha rule = rule(2, Direction.MINIMIZE, 4);
    assertThat(actions(rule, 0, "a", 0.1, "b", 0.9, "c", 0.8))
        .containsOnly(Verdict.Action.CONTINUE);
    final Verdict d = rule.record(0, "d", 0.95);
    assertThat(d.action()).isEqualTo(Verdict.Action.STOP);
    assertThat(rule.record(0, "e", 0.05).continues()).isTrue();
  }

  @Test
  void aTrialReachingTheTopRungIsComplete() {
    final StoppingAsha rule = rule(3, Direction.MINIMIZE, 1);
    assertThat(rule.record(2, "a", 0.3).action()).isEqualTo(Verdict.Action.COMPLETE);
    assertThat(rule.results(2)).isZero();
  }

  @Test
  void recordingATrialTwiceAnswersAsTheFirstTimeAndChangesNothing() {
    final StoppingAsha rule = rule(2, Direction.MINIMIZE, 1);
    rule.record(0, "a", 0.1);
    rule.record(0, "b", 0.9);
    assertThat(rule.record(0, "b", 0.0).action()).isEqualTo(Verdict.Action.STOP);
    assertThat(rule.record(0, "a", 0.9).action()).isEqualTo(Verdict.Action.CONTINUE);
    assertThat(rule.results(0)).isEqualTo(2);
  }

  @Test
  void rejectsARungOutsideTheSchedule() {
    final StoppingAsha rule = rule(3, Direction.MINIMIZE, 1);
    assertThatIllegalArgumentException().isThrownBy(() -> rule.record(3, "a", 0.1));
    assertThatIllegalArgumentException().isThrownBy(() -> rule(1, Direction.MINIMIZE, 1));
  }

  @Test
  void agreesWithRankingTheWholeRungOnRandomResultsWithTiesAndNan() {
    final Random random = new Random(7);
    for (final int eta : new int[] {2, 3, 4}) {
      final StoppingAsha rule = new StoppingAsha(new InMemoryOrderedStore(), "s", RUNGS_1_3_9, eta,
          Direction.MINIMIZE, 3);
      final List<Double> seen = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        final double metric = random.nextInt(20) == 0 ? Double.NaN : random.nextInt(50) / 10.0;
        seen.add(metric);
        assertThat(rule.record(0, "t" + i, metric).continues())
            .as("eta %d, result %d (%s)", eta, i, metric)
            .isEqualTo(referenceContinues(seen, eta, 3));
      }
    }
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    // given one rule that sees every result, and a second store whose rule is replaced half-way
    final Random random = new Random(11);
    final StoppingAsha whole = rule(3, Direction.MAXIMIZE, 2);
    final InMemoryOrderedStore restarted = new InMemoryOrderedStore();
    StoppingAsha current = new StoppingAsha(restarted, "study", RUNGS_1_3_9, 3, Direction.MAXIMIZE, 2);
    for (int i = 0; i < 200; i++) {
      if (i == 100) {
        current = new StoppingAsha(restarted, "study", RUNGS_1_3_9, 3, Direction.MAXIMIZE, 2);
      }
      final int rung = random.nextInt(2);
      final double metric = random.nextDouble();
      // then both answer alike
      assertThat(current.record(rung, "t" + i, metric)).isEqualTo(whole.record(rung, "t" + i, metric));
    }
  }

  @Test
  void keepsItsStateApartFromAshaPolicyAndOtherStudiesInOneStore() {
    final StoppingAsha rule = rule(2, Direction.MINIMIZE, 1);
    final StoppingAsha other = new StoppingAsha(store, "study2", RUNGS_1_3_9, 2, Direction.MINIMIZE, 1);
    final AshaPolicy asha = new AshaPolicy(store, "study", RUNGS_1_3_9, 2, Direction.MINIMIZE);
    asha.record(0, "x", 0.0);
    rule.record(0, "a", 0.5);
    assertThat(other.record(0, "b", 0.9).continues()).isTrue();
    assertThat(rule.results(0)).isEqualTo(1);
    assertThat(asha.results(0)).isEqualTo(1);
  }

  /** Ranks the whole rung: continue iff fewer than minRungSize results or rank <= ceil(n / eta). */
  private static boolean referenceContinues(final List<Double> results, final int eta, final int minRungSize) {
    final int n = results.size();
    if (n < minRungSize) {
      return true;
    }
    final double last = results.get(n - 1);
    int rank = 1;
    for (int i = 0; i < n - 1; i++) {
      if (!worse(results.get(i), last)) {
        rank++;
      }
    }
    return rank <= (n + eta - 1) / eta;
  }

  /** True if a is strictly worse than b when minimising with NaN last. */
  private static boolean worse(final double a, final double b) {
    if (Double.isNaN(b)) {
      return false;
    }
    return Double.isNaN(a) || a > b;
  }

  private StoppingAsha rule(final int eta, final Direction direction, final long minRungSize) {
    return new StoppingAsha(store, "study", RUNGS_1_3_9, eta, direction, minRungSize);
  }

  private static List<Verdict.Action> actions(final StoppingAsha rule, final int rung, final Object... pairs) {
    final List<Verdict.Action> actions = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      actions.add(rule.record(rung, (String) pairs[i], (Double) pairs[i + 1]).action());
    }
    return actions;
  }
}
