package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.bench.chaos.FaultPlan.Fault;
import io.kasha.bench.chaos.FaultPlan.Kind;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void holdsEveryFaultAskedForAndWipesOnSchedulerKillsOnly() {
    final FaultPlan plan = FaultPlan.draw(7, 20, 5, 2, 1);

    assertThat(plan.faults()).hasSize(26);
    assertThat(plan.count(Kind.RUNNER_KILL)).isEqualTo(20);
    assertThat(plan.count(Kind.SCHEDULER_KILL)).isEqualTo(5);
    assertThat(plan.count(Kind.BROKER_RESTART)).isEqualTo(1);
    assertThat(plan.wipes()).isEqualTo(2);
    assertThat(plan.faults()).filteredOn(Fault::wipe).allSatisfy(f -> assertThat(f.kind()).isEqualTo(Kind.SCHEDULER_KILL));
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    assertThat(FaultPlan.draw(7, 20, 5, 2, 1)).isEqualTo(FaultPlan.draw(7, 20, 5, 2, 1));
    assertThat(FaultPlan.draw(8, 20, 5, 2, 1).faults()).isNotEqualTo(FaultPlan.draw(7, 20, 5, 2, 1).faults());
  }

  @Test
  void faultsStrikeInOrderOfProgressInsideTheWindow() {
    final FaultPlan plan = FaultPlan.draw(3, 50, 10, 4, 3);

    assertThat(plan.faults()).extracting(Fault::atWork).isSorted()
        .allSatisfy(at -> assertThat(at).isBetween(FaultPlan.EARLIEST, FaultPlan.LATEST));
  }

  @Test
  void refusesMoreWipesThanSchedulerKills() {
    assertThatThrownBy(() -> FaultPlan.draw(1, 0, 1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 times in 1 scheduler kills");
  }
}
