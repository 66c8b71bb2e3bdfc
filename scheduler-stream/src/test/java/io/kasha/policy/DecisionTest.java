package io.kasha.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionTest {

  private final AshaPolicy policy =
      new AshaPolicy(new InMemoryOrderedStore(), "study", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE);

  @Test
  void promotionComesBeforeANewTrial() {
    // given
    policy.record(0, "a", 0.1);
    policy.record(0, "b", 0.2);
    policy.record(0, "c", 0.3);
    // when
    final Decision decision = Decision.next(policy, true);
    // then
    assertThat(decision).isEqualTo(new Decision.Promote(new Promotion("a", 0, 0.1, 3, 1, 0.1)));
  }

  @Test
  void newTrialWhenNothingIsPromotableAndTheBudgetAllows() {
    policy.record(0, "a", 0.1);
    assertThat(Decision.next(policy, true)).isEqualTo(new Decision.NewTrial());
  }

  @Test
  void idleWhenNothingIsPromotableAndTheBudgetIsSpent() {
    policy.record(0, "a", 0.1);
    assertThat(Decision.next(policy, false)).isEqualTo(new Decision.Idle());
  }
}
