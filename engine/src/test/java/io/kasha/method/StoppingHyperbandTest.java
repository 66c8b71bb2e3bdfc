package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoppingHyperbandTest {

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void judgesEachTrialAgainstTheTrialsOfItsOwnBracket() {
    // given round robin over two brackets: a, c, e in bracket 0 (rungs 1 3 9), b, d in bracket 1 (3 9)
    final StoppingHyperband hyperband = roundRobin(store);
    assertThat(List.of("a", "b", "c", "d", "e")).extracting(hyperband::assign).containsExactly(0, 1, 0, 1, 0);
    assertThat(hyperband.schedule(1).resources()).containsExactly(3L, 9L);
    // when bracket 1 holds a very good result
    assertThat(hyperband.record("b", 0, 0.01).continues()).isTrue();
    // then bracket 0 ranks without it: a is first there, and c is outside its top 1 of 2
    assertThat(hyperband.record("a", 0, 0.5).continues()).isTrue();
    final Verdict c = hyperband.record("c", 0, 0.6);
    assertThat(c.action()).isEqualTo(Verdict.Action.STOP);
    assertThat(c.reason()).startsWith("bracket 0: stopped: outside the top 1 of 2 results of rung 0 (0.6)");
    assertThat(hyperband.record("d", 1, 0.9).action()).isEqualTo(Verdict.Action.COMPLETE);
  }

  @Test
  void refusesAResultOfATrialWithoutBracket() {
    assertThatIllegalArgumentException().isThrownBy(() -> roundRobin(store).record("x", 0, 0.1))
        .withMessageContaining("assign it first");
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    final Random random = new Random(13);
    final StoppingHyperband whole = weighted(new InMemoryOrderedStore());
    for (int i = 0; i < 200; i++) {
      final StoppingHyperband restarted = weighted(store);
      final String trial = "t" + i;
      assertThat(restarted.assign(trial)).isEqualTo(whole.assign(trial));
      final double metric = random.nextDouble();
      assertThat(restarted.record(trial, 0, metric)).isEqualTo(whole.record(trial, 0, metric));
    }
  }

  private static StoppingHyperband roundRobin(final OrderedStore store) {
    return new StoppingHyperband(store, "study", 1, 9, 3, Direction.MINIMIZE, 2, BracketRule.ROUND_ROBIN, 0, 1);
  }

  private static StoppingHyperband weighted(final OrderedStore store) {
    return new StoppingHyperband(store, "study", 1, 81, 3, Direction.MAXIMIZE, 4, BracketRule.WEIGHTED, 5, 2);
  }
}
