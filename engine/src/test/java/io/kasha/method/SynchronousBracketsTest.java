package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Synchronous brackets over the store: what a rule built again over the same store continues with. */
class SynchronousBracketsTest {

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  private SynchronousBrackets brackets(final long trialLimit) {
    return new SynchronousBrackets(store, "s", Bracket.hyperband(1, 9, 3), Direction.MINIMIZE, trialLimit);
  }

  @Test
  void aRuleBuiltAgainOverTheSameStoreContinuesTheRungWhereItWas() {
    // given the first bracket (9/1 3/3 1/9) with 8 of its 9 results
    final SynchronousBrackets before = brackets(100);
    for (int i = 1; i <= 9; i++) {
      before.assign("t" + i);
    }
    for (int i = 1; i <= 8; i++) {
      before.record("t" + i, 0, 10 - i);
    }
    assertThat(before.nextPromotion()).isEmpty();

    // when a new rule over the same store records the last result
    final SynchronousBrackets after = brackets(100);
    assertThat(after.admitsTrial()).isFalse();
    after.record("t9", 0, 5.5);

    // then it promotes the best three, best first, one at a time
    final List<String> promoted = new java.util.ArrayList<>();
    for (SynchronousBrackets.Advance p = after.nextPromotion().orElseThrow(); ; ) {
      promoted.add(p.trialId());
      brackets(100).markPromoted(p);
      final var next = brackets(100).nextPromotion();
      if (next.isEmpty()) {
        break;
      }
      p = next.orElseThrow();
    }
    assertThat(promoted).containsExactly("t8", "t7", "t6");
    assertThat(brackets(100).schedule("t8").resources()).containsExactly(1L, 3L, 9L);
  }

  @Test
  void aRungsLastPromotionLeavesItsOtherTrialsBehindButNotTheFailedOnes() {
    final SynchronousBrackets brackets = brackets(9);
    for (int i = 1; i <= 9; i++) {
      brackets.assign("a" + i);
    }
    for (int i = 1; i <= 8; i++) {
      brackets.record("a" + i, 0, i);
    }
    brackets.fail("a9", 0);
    brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    assertThat(brackets.takePassedOver()).isEmpty();

    brackets.markPromoted(brackets.nextPromotion().orElseThrow());

    assertThat(brackets.takePassedOver()).containsExactly("a4", "a5", "a6", "a7", "a8");
    assertThat(brackets.takePassedOver()).isEmpty();
    // rung 1: a1 goes on to the top rung, a2 and a3 stay behind
    brackets.record("a1", 1, 1);
    brackets.record("a2", 1, 2);
    brackets.record("a3", 1, 3);
    brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    assertThat(brackets.takePassedOver()).containsExactly("a2", "a3");
  }

  @Test
  void theNextBracketStartsOnlyWhenTheLastHasEndedAndOnlyIfItFitsTheTrialLimit() {
    // given a limit of 9 + 5 trials: room for the first bracket and for the second (5/3 1/9), not the third (3/9)
    final SynchronousBrackets brackets = brackets(14);
    for (int i = 1; i <= 9; i++) {
      brackets.assign("a" + i);
      brackets.record("a" + i, 0, i);
    }
    for (int k = 0; k < 3; k++) {
      brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    }
    assertThat(brackets.admitsTrial()).isFalse();
    brackets.record("a1", 1, 1);
    brackets.record("a2", 1, 2);
    brackets.fail("a3", 1);
    brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    brackets.record("a1", 2, 1);

    // then the second bracket takes 5 new trials at resource 3
    for (int i = 1; i <= 5; i++) {
      assertThat(brackets.admitsTrial()).isTrue();
      brackets.assign("b" + i);
    }
    assertThat(brackets.admitsTrial()).isFalse();
    assertThat(brackets.schedule("b1").resources()).containsExactly(3L, 9L);
    for (int i = 1; i <= 5; i++) {
      brackets.record("b" + i, 0, i);
    }
    brackets.markPromoted(brackets.nextPromotion().orElseThrow());
    brackets.record("b1", 1, 1);

    // and the third does not fit the limit
    assertThat(brackets.admitsTrial()).isFalse();
    assertThat(brackets.nextPromotion()).isEmpty();
    assertThatThrownBy(() -> brackets.assign("c1")).isInstanceOf(IllegalStateException.class);
  }
}
