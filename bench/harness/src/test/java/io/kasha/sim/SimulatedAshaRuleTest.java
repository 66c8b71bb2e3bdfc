package io.kasha.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kasha.method.RungSchedule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulator's ASHA decisions, re-checked against the rule by brute force. */
class SimulatedAshaRuleTest {

  @Test
  void everyDecisionOfAshaFollowsTheRuleUnderStragglersDropsTiesAndNaN() {
    long promotions = 0;
    for (int seed = 0; seed < 150; seed++) {
      // given a random study shape, workers, stragglers, drops, with or without checkpoints
      final SplittableRandom random = new SplittableRandom(seed);
      final int eta = 2 + random.nextInt(3);
      final long maxResource = 1 + random.nextInt(120);
      final SimulationConfig config = new SimulationConfig(
          random.nextBoolean() ? ToyFunction.rough() : ToyFunction.unitCost(), Method.ASHA,
          1 + random.nextInt(40), 1, maxResource, eta, 1 + random.nextInt(300), SimulationConfig.NO_TIME_LIMIT,
          seed, random.nextDouble(), random.nextBoolean() ? 0 : 0.01, random.nextBoolean());
      final AshaRuleCheck check = new AshaRuleCheck(config, RungSchedule.of(1, maxResource, eta, 0).size());
      // when
      final SimulationResult result = Simulation.run(config, check);
      // then
      assertThat(check.violationsAtTheEnd()).as("seed %d, %s", seed, config).isEmpty();
      assertThat(result.trials()).isEqualTo(config.maxTrials());
      promotions += check.promotions();
    }
    assertThat(promotions).as("promotions checked").isGreaterThan(3_000);
  }

  @Test
  void underATimeLimitEveryWorkerIsAlwaysBusyAndEveryDecisionFollowsTheRule() {
    for (int seed = 0; seed < 20; seed++) {
      // given no trial limit: a free worker always has a promotion or a new trial to run
      final SimulationConfig config = SimulationConfig.of(ToyFunction.rough(), Method.ASHA, 1 + seed * 2,
              SimulationConfig.NO_TRIAL_LIMIT, 500)
          .withSeed(seed).withStragglerSigma(0.5).withDropProbability(0.005);
      final AshaRuleCheck check = new AshaRuleCheck(config, RungSchedule.of(1, 81, 3, 0).size());
      // when
      final SimulationResult result = Simulation.run(config, check);
      // then
      assertThat(check.violations()).as("seed %d", seed).isEmpty();
      assertThat(result.timeLimitReached()).isTrue();
      assertThat(result.virtualSeconds()).isEqualTo(500);
      assertThat(result.utilization()).isCloseTo(1.0, within(1e-9));
    }
  }
}
