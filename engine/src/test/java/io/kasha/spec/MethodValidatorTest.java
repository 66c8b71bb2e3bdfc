package io.kasha.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MethodValidatorTest {

  @Test
  void acceptsTheDefaults() {
    assertThat(MethodValidator.asha(3, 1, 27, 1)).isEmpty();
    assertThat(MethodValidator.asyncHyperband(3, 1, 27, 4, "round_robin")).isEmpty();
    assertThat(MethodValidator.asyncHyperband(3, 1, 27, 2, null)).isEmpty();
    assertThat(MethodValidator.medianStopping(1, 3, 27)).isEmpty();
    assertThat(MethodValidator.pbt(4, 0.25, 0.25, List.of(1.2, 0.8), true, 1, 100)).isEmpty();
    assertThat(MethodValidator.objectives(List.of("loss", "latency"), List.of("min", "MAX"), null, List.of()))
        .isEmpty();
    assertThat(MethodValidator.objectives(List.of("loss", "latency"), List.of("min", "min"), "weighted_sum",
        List.of(1.0, 0.5))).isEmpty();
  }

  @Test
  void namesTheFieldAndTheFixOfEachAshaProblem() {
    assertThat(MethodValidator.asha(1, 0, -1, 0)).containsExactly(
        "eta: must be at least 2 (got 1); 3 is the usual choice",
        "min_resource: must be at least 1 (got 0)",
        "max_resource: must be at least min_resource 0 (got -1)",
        "min_rung_size: must be at least 1 (got 0); use 1 to promote as soon as a rung holds eta results");
  }

  @Test
  void refusesMoreBracketsThanResourcesAllowAndUnknownRules() {
    assertThat(MethodValidator.asyncHyperband(3, 1, 27, 5, "fair")).containsExactly(
        "brackets: must be between 1 and 4 for min_resource 1, max_resource 27 and eta 3 (got 5); lower it or "
            + "raise max_resource",
        "bracket_rule: must be round_robin or weighted (got 'fair')");
    assertThat(MethodValidator.asyncHyperband(1, 1, 27, 5, "weighted")).containsExactly(
        "eta: must be at least 2 (got 1); 3 is the usual choice");
  }

  @Test
  void refusesAMedianRuleThatCouldNeverJudge() {
    assertThat(MethodValidator.medianStopping(30, 0, 27)).containsExactly(
        "grace_period: must not exceed max_resource 27 (got 30); no trial would ever be judged",
        "min_samples: must be at least 1 (got 0); 3 is Ray Tune's default");
  }

  @Test
  void refusesPbtWithoutCheckpointsAndQuantilesOutsideTheHalf() {
    assertThat(MethodValidator.pbt(100, 0.6, 1.5, List.of(1.2, -1.0), false, 0, 100)).containsExactly(
        "checkpoints: PBT copies the checkpoint of a better trial, so the entrypoint must write checkpoints "
            + "(got none); turn checkpoints on or choose another method",
        "perturbation_interval: must be below max_resource 100 (got 100); no trial would ever be perturbed",
        "quantile_fraction: must be in (0, 0.5] (got 0.6); 0.25 is the default",
        "resample_probability: must be in [0, 1] (got 1.5); 0.25 is the default",
        "perturbation_factors[1]: must be a finite number > 0 (got -1.0)",
        "hyperparam_mutations: must name at least one parameter (got none); list the parameters PBT may change");
    assertThat(MethodValidator.pbt(0, 0.0, 0.25, List.of(), true, 1, 100)).containsExactly(
        "perturbation_interval: must be at least 1 (got 0)",
        "quantile_fraction: must be in (0, 0.5] (got 0.0); 0.25 is the default",
        "perturbation_factors: must list at least one factor (got none); [1.2, 0.8] is the default");
  }

  @Test
  void refusesObjectivesWithUnknownModesAndMisplacedWeights() {
    assertThat(MethodValidator.objectives(List.of("loss"), List.of("lowest"), "pareto", List.of(1.0)))
        .containsExactly(
            "objectives: a multi-objective study needs two or more (got 1); use metric and mode for a single objective",
            "objectives[0].mode: must be min or max (got 'lowest')",
            "tie_break: must be crowding_distance or weighted_sum (got 'pareto')",
            "weights: only used with tie_break weighted_sum (got [1.0] with pareto); remove them or set tie_break");
    assertThat(MethodValidator.objectives(List.of("loss", "loss"), List.of("min"), "weighted_sum",
        List.of(1.0, Double.NaN, 2.0))).containsExactly(
            "objectives: every objective needs a mode (got 2 metrics and 1 modes)",
            "objectives[1].metric: must be unique (got a second 'loss')",
            "weights: must give one weight per objective (got 3 for 2 objectives); leave it out for equal weights",
            "weights[1]: must be a finite number >= 0 (got NaN)");
  }
}
