package io.kasha.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MethodValidatorTest {

  @Test
  void acceptsTheDefaults() {
    assertThat(Problem.messages(MethodValidator.asha(3, 1, 27, 1))).isEmpty();
    assertThat(Problem.messages(MethodValidator.asyncHyperband(3, 1, 27, 4, "round_robin"))).isEmpty();
    assertThat(Problem.messages(MethodValidator.asyncHyperband(3, 1, 27, 2, null))).isEmpty();
    assertThat(Problem.messages(MethodValidator.medianStopping(1, 3, 27))).isEmpty();
    assertThat(Problem.messages(MethodValidator.pbt(4, 0.25, 0.25, List.of(1.2, 0.8), true, 1, 100))).isEmpty();
    assertThat(Problem.messages(MethodValidator.objectives(List.of("loss", "latency"), List.of("min", "MAX"), null, List.of())))
        .isEmpty();
    assertThat(Problem.messages(MethodValidator.objectives(List.of("loss", "latency"), List.of("min", "min"), "weighted_sum",
        List.of(1.0, 0.5)))).isEmpty();
  }

  @Test
  void namesTheFieldAndTheFixOfEachAshaProblem() {
    assertThat(Problem.messages(MethodValidator.asha(1, 0, -1, 0))).containsExactly(
        "eta: must be at least 2 (got 1); 3 is the usual choice",
        "minResource: must be at least 1 (got 0)",
        "maxResource: must be at least minResource 0 (got -1)",
        "schedulerOptions.minRungSize: must be at least 1 (got 0); use 1 to promote as soon as a rung holds eta results");
  }

  @Test
  void refusesMoreBracketsThanResourcesAllowAndUnknownRules() {
    assertThat(Problem.messages(MethodValidator.asyncHyperband(3, 1, 27, 5, "fair"))).containsExactly(
        "schedulerOptions.brackets: must be between 1 and 4 for minResource 1, maxResource 27 and eta 3 (got 5); lower it or "
            + "raise maxResource",
        "schedulerOptions.bracketRule: must be round_robin or weighted (got 'fair')");
    assertThat(Problem.messages(MethodValidator.asyncHyperband(1, 1, 27, 5, "weighted"))).containsExactly(
        "eta: must be at least 2 (got 1); 3 is the usual choice");
  }

  @Test
  void refusesAMedianRuleThatCouldNeverJudge() {
    assertThat(Problem.messages(MethodValidator.medianStopping(30, 0, 27))).containsExactly(
        "schedulerOptions.gracePeriod: must not exceed maxResource 27 (got 30); no trial would ever be judged",
        "schedulerOptions.minSamples: must be at least 1 (got 0); 3 is Ray Tune's default");
  }

  @Test
  void refusesPbtWithoutCheckpointsAndQuantilesOutsideTheHalf() {
    assertThat(Problem.messages(MethodValidator.pbt(100, 0.6, 1.5, List.of(1.2, -1.0), false, 0, 100))).containsExactly(
        "schedulerOptions.checkpoints: PBT copies the checkpoint of a better trial, so the entrypoint must write checkpoints "
            + "(got none); turn checkpoints on or choose another method",
        "schedulerOptions.perturbationInterval: must be below maxResource 100 (got 100); no trial would ever be perturbed",
        "schedulerOptions.quantileFraction: must be in (0, 0.5] (got 0.6); 0.25 is the default",
        "schedulerOptions.resampleProbability: must be in [0, 1] (got 1.5); 0.25 is the default",
        "schedulerOptions.perturbationFactors[1]: must be a finite number > 0 (got -1.0)",
        "schedulerOptions.hyperparamMutations: must name at least one parameter (got none); list the parameters PBT may change");
    assertThat(Problem.messages(MethodValidator.pbt(0, 0.0, 0.25, List.of(), true, 1, 100))).containsExactly(
        "schedulerOptions.perturbationInterval: must be at least 1 (got 0)",
        "schedulerOptions.quantileFraction: must be in (0, 0.5] (got 0.0); 0.25 is the default",
        "schedulerOptions.perturbationFactors: must list at least one factor (got none); [1.2, 0.8] is the default");
  }

  @Test
  void refusesObjectivesWithUnknownModesAndMisplacedWeights() {
    assertThat(Problem.messages(MethodValidator.objectives(List.of("loss"), List.of("lowest"), "pareto", List.of(1.0))))
        .containsExactly(
            "schedulerOptions.objectives: a multi-objective study needs two or more (got 1); use metric and mode for a single objective",
            "schedulerOptions.objectives[0].mode: must be min or max (got 'lowest')",
            "schedulerOptions.tieBreak: must be crowding_distance or weighted_sum (got 'pareto')",
            "schedulerOptions.weights: only used with schedulerOptions.tieBreak weighted_sum (got [1.0] with pareto); remove them or set schedulerOptions.tieBreak");
    assertThat(Problem.messages(MethodValidator.objectives(List.of("loss", "loss"), List.of("min"), "weighted_sum",
        List.of(1.0, Double.NaN, 2.0)))).containsExactly(
            "schedulerOptions.objectives: every objective needs a mode (got 2 metrics and 1 modes)",
            "schedulerOptions.objectives[1].metric: must be unique (got a second 'loss')",
            "schedulerOptions.weights: must give one weight per objective (got 3 for 2 objectives); leave it out for equal weights",
            "schedulerOptions.weights[1]: must be a finite number >= 0 (got NaN)");
  }
}
