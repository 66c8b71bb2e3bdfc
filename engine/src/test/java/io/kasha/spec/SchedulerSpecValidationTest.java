package io.kasha.spec;

import io.kasha.method.SchedulerSettings;
import io.kasha.space.Specs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.method.TuningMethods;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler choice and its knobs, as the study validator checks them. */
class SchedulerSpecValidationTest {

  @Test
  void everySchedulerIsAcceptedWithItsRequiredKnobsAndDefaultsForTheRest() {
    for (final SchedulerKind kind : SchedulerKind.values()) {
      final StudySpec spec = Specs.valid();
      spec.setScheduler(kind);
      if (kind == SchedulerKind.PBT) {
        spec.setSchedulerOptions(SchedulerOptions.newBuilder().setPerturbationInterval(3L).build());
      }
      if (kind == SchedulerKind.MO_ASHA) {
        spec.setSchedulerOptions(SchedulerOptions.newBuilder().setObjectives(List.of(
            objective("val_loss", Mode.MIN), objective("latency", Mode.MIN))).build());
      }

      assertThat(Problem.messages(StudyValidator.validate(spec))).as(kind.name()).isEmpty();
    }
  }

  @Test
  void pbtWithoutCheckpointsOrIntervalIsRejectedNamingEachFieldAndTheFix() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.PBT);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setCheckpoints(false).build());

    final List<String> problems = Problem.messages(StudyValidator.validate(spec));

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("schedulerOptions.perturbationInterval: required by the pbt scheduler")
        .contains("for example 6");
    assertThat(problems.get(1)).startsWith("schedulerOptions.checkpoints: PBT copies the checkpoint")
        .contains("turn checkpoints on");
  }

  @Test
  void etaBelowTwoIsReportedOnceWhateverTheScheduler() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.ASHA_STOPPING);
    spec.setEta(1);

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly("eta: must be at least 2 (got 1)");
  }

  @Test
  void thePromotionVariantReadsTheTiePolicyAndNamesItsValues() {
    final StudySpec spec = Specs.valid();
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setTies("later").build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();

    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setTies("random").build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly("schedulerOptions.ties: must be earlier or later (got 'random')");

    spec.setScheduler(io.kasha.schemas.SchedulerKind.ASHA_STOPPING);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setTies("later").build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString()
        .startsWith("schedulerOptions.ties: only the asha scheduler reads it");
  }

  @Test
  void thePromotionVariantReadsMinRungSize() {
    final StudySpec spec = Specs.valid();
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setMinRungSize(9L).build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setMinRungSize(0L).build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString().startsWith("schedulerOptions.minRungSize: must be at least 1");
  }

  @Test
  void aKnobOfAnotherSchedulerIsRejectedNamingTheSchedulersThatReadIt() {
    final StudySpec spec = Specs.valid();
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(2).setGracePeriod(2L).build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "schedulerOptions.brackets: only the async_hyperband or hyperband_stopping or hyperband scheduler reads it (scheduler is "
            + "asha); remove it or set scheduler to async_hyperband or hyperband_stopping or hyperband",
        "schedulerOptions.gracePeriod: only the median_stopping scheduler reads it (scheduler is asha); remove it or set "
            + "scheduler to median_stopping");
  }

  @Test
  void hyperbandBracketsBeyondWhatTheResourcesAllowAreRejected() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.ASYNC_HYPERBAND);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(5).setBracketRule("fastest").build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "schedulerOptions.brackets: must be between 1 and 4 for minResource 1, maxResource 27 and eta 3 (got 5); lower it or "
            + "raise maxResource",
        "schedulerOptions.bracketRule: must be round_robin or weighted (got 'fastest')");
  }

  @Test
  void pbtMutationsMustNameParametersOfTheSearchSpace() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.PBT);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setPerturbationInterval(3L)
        .setHyperparamMutations(List.of("lr", "width")).build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "schedulerOptions.hyperparamMutations[1]: 'width' is not a parameter of the search space (parameters: [layers, lr, "
            + "momentum, optimizer]); name one of them");
  }

  @Test
  void multiObjectiveStudiesNeedTwoObjectivesTheFirstBeingTheStudyMetric() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.MO_ASHA);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder()
        .setObjectives(List.of(objective("accuracy", Mode.MAX))).setWeights(List.of(1.0)).build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "schedulerOptions.objectives: a multi-objective study needs two or more (got 1); use metric and mode for a "
            + "single objective",
        "schedulerOptions.weights: only used with schedulerOptions.tieBreak weighted_sum (got [1.0] with "
            + "crowding_distance); remove them or set schedulerOptions.tieBreak",
        "schedulerOptions.objectives[0]: must be the study's metric and mode (val_loss MIN), got accuracy MAX; list the study's "
            + "metric first");
  }

  @Test
  void anEarlyStoppingRateIsRejectedWhereTheSchedulerDoesNotReadIt() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.MEDIAN_STOPPING);
    spec.setEarlyStoppingRate(1);

    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "earlyStoppingRate: the median_stopping scheduler does not read it (got 1); remove it, or raise "
            + "minResource instead");
  }

  private static ObjectiveSpec objective(final String metric, final Mode mode) {
    return ObjectiveSpec.newBuilder().setMetric(metric).setMode(mode).build();
  }

  @Test
  void successiveHalvingWithTooFewTrialsForOneToReachMaxResourceIsRejectedWithTheNumberNeeded() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.SHA);
    spec.setMaxTrials(20);

    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString()
        .startsWith("maxTrials: synchronous successive halving").contains("needs at least 27")
        .contains("(got 20)").contains("raise maxTrials to 27");
  }

  @Test
  void hyperbandChecksItsBracketsAndThatTheFirstBracketFitsInMaxTrials() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.HYPERBAND);
    spec.setMaxTrials(20);

    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString()
        .startsWith("maxTrials: Hyperband's first bracket starts 27 configurations (got 20)")
        .contains("or to 49 for every bracket");

    spec.setMaxTrials(100);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(5).build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString()
        .startsWith("schedulerOptions.brackets: must be between 1 and 4");
  }

  @Test
  void hyperbandCountsMaxResourceAsARungOfItsOwnWhenItIsNotAPowerOfEta() {
    // rungs 1 3 9 27 81 100: one iteration of synchronous Hyperband has six brackets, the last at 100 only;
    // asynchronous Hyperband's brackets start at 1 .. 81, five of them
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.HYPERBAND);
    spec.setMinResource(1);
    spec.setMaxResource(100);
    spec.setMaxTrials(1_000);
    assertThat(SchedulerSettings.of(spec).brackets()).isEqualTo(6);
    assertThat(TuningMethods.brackets(spec, SchedulerSettings.of(spec), io.kasha.space.Searcher.trialLimit(spec))).hasSize(6).last()
        .satisfies(last -> assertThat(last.resources()).containsExactly(100L));
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(6).build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(7).build());
    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString().startsWith("schedulerOptions.brackets: must be between 1 and 6");

    spec.setScheduler(SchedulerKind.ASYNC_HYPERBAND);
    spec.setSchedulerOptions(null);
    assertThat(SchedulerSettings.of(spec).brackets()).isEqualTo(5);
  }

  @Test
  void bracketRuleIsReadOnlyByTheAsynchronousHyperbandForms() {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(SchedulerKind.HYPERBAND);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setBrackets(2).setBracketRule("weighted").build());

    assertThat(Problem.messages(StudyValidator.validate(spec))).singleElement().asString()
        .startsWith("schedulerOptions.bracketRule: only the async_hyperband or hyperband_stopping scheduler reads it");
  }
}
