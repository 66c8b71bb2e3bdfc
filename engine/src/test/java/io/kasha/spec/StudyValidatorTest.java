package io.kasha.spec;

import io.kasha.space.ConditionalParamsTest;
import io.kasha.space.Specs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StudyValidatorTest {

  @Test
  void acceptsAValidSpecUnderBothSamplers() {
    final StudySpec spec = Specs.valid();
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
    spec.setSampler(SamplerKind.GRID);
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        problem("metric: must not be blank (got ' ')", s -> s.setMetric(" ")),
        problem("entrypoint: must not be blank (got '')", s -> s.setEntrypoint("")),
        problem("mode: required, MIN or MAX", s -> s.setMode(null)),
        problem("eta: must be at least 2 (got 1)", s -> s.setEta(1)),
        problem("minResource: must be at least 1 (got 0)", s -> s.setMinResource(0L)),
        problem("maxResource: must be at least minResource (5) (got 3)", s -> {
          s.setMinResource(5L);
          s.setMaxResource(3L);
        }),
        problem("earlyStoppingRate: must be at least 0 (got -1)", s -> s.setEarlyStoppingRate(-1)),
        problem("earlyStoppingRate: minResource * eta^earlyStoppingRate must not exceed maxResource "
            + "(got 1 * 3^4 > 27)", s -> s.setEarlyStoppingRate(4)),
        problem("earlyStoppingRate: minResource * eta^earlyStoppingRate must not exceed maxResource "
            + "(got 1 * 2^64 > 9223372036854775807)", s -> {
          s.setMaxResource(Long.MAX_VALUE);
          s.setEta(2);
          s.setEarlyStoppingRate(64);
        }),
        problem("parallelism: must be at least 1 (got 0)", s -> s.setParallelism(0)),
        problem("maxTrials: must be at least 1 (got 0)", s -> s.setMaxTrials(0)),
        problem("maxAttempts: must be at least 1 (got 0)", s -> s.setMaxAttempts(0)),
        problem("leaseMs: must be at least 1000 (got 999)", s -> s.setLeaseMs(999L)),
        problem("maxDurationMs: must be > 0 if set (got 0)", s -> s.setMaxDurationMs(0L)),
        problem("target: must be a finite number if set (got NaN)", s -> s.setTarget(Double.NaN)),
        problem("target: must be a finite number if set (got -Infinity)", s -> s.setTarget(Double.NEGATIVE_INFINITY)),
        problem("params: must list at least one parameter (got none)", s -> s.setParams(new ArrayList<>())),
        problem("params[2].name: must not be blank (got '')", s -> param(s, 2).setName("")),
        problem("params[3].name: must be unique (got a second 'lr')", s -> param(s, 3).setName("lr")),
        problem("params[1] 'momentum'.low: required for a FLOAT parameter", s -> param(s, 1).setLow(null)),
        problem("params[2] 'layers'.high: required for an INT parameter", s -> param(s, 2).setHigh(null)),
        problem("params[1] 'momentum'.high: must be a finite number (got Infinity)",
            s -> param(s, 1).setHigh(Double.POSITIVE_INFINITY)),
        problem("params[1] 'momentum'.low: must be a finite number (got NaN)", s -> param(s, 1).setLow(Double.NaN)),
        problem("params[1] 'momentum'.high: must be at least low (0.8) (got 0.5)", s -> param(s, 1).setHigh(0.5)),
        problem("params[2] 'layers'.low: must be a whole number between -2^53 and 2^53 for an INT parameter "
            + "(got 1.5)", s -> param(s, 2).setLow(1.5)),
        problem("params[2] 'layers'.high: must be a whole number between -2^53 and 2^53 for an INT parameter "
            + "(got 1.0E16)", s -> param(s, 2).setHigh(1e16)),
        problem("params[0] 'lr'.low: must be > 0 on a log scale (got 0.0)", s -> param(s, 0).setLow(0.0)),
        problem("params[2] 'layers'.low: must be > 0 on a log scale (got -1.0)", s -> {
          param(s, 2).setLow(-1.0);
          param(s, 2).setLog(true);
        }),
        problem("params[1] 'momentum'.choices: only for a CATEGORICAL parameter, not FLOAT (got [0.9])",
            s -> param(s, 1).setChoices(new ArrayList<>(List.of(0.9)))),
        problem("params[3] 'optimizer'.choices: a CATEGORICAL parameter needs at least one choice (got none)",
            s -> param(s, 3).setChoices(new ArrayList<>())),
        problem("params[3] 'optimizer'.low: not allowed for a CATEGORICAL parameter (got 1.0)",
            s -> param(s, 3).setLow(1.0)),
        problem("params[3] 'optimizer'.high: not allowed for a CATEGORICAL parameter (got 2.0)",
            s -> param(s, 3).setHigh(2.0)),
        problem("params[3] 'optimizer'.log: only FLOAT and INT parameters have a scale (got true)",
            s -> param(s, 3).setLog(true)),
        problem("params[1] 'momentum'.gridPoints: must be between 1 and 10000 if set (got 0)",
            s -> param(s, 1).setGridPoints(0)),
        problem("params[1] 'momentum'.gridPoints: must be between 1 and 10000 if set (got 10001)",
            s -> param(s, 1).setGridPoints(10_001)),
        problem("params[1] 'momentum'.gridPoints: required for a FLOAT range under the GRID sampler "
            + "(for example gridPoints: 5)", s -> {
          s.setSampler(SamplerKind.GRID);
          param(s, 1).setGridPoints(null);
        }),
        problem("params[2] 'layers'.gridPoints: required for an INT range of more than 10000 values under the "
            + "GRID sampler (got 10001 values from 0 to 10000)", s -> {
          s.setSampler(SamplerKind.GRID);
          param(s, 2).setLow(0.0);
          param(s, 2).setHigh(10_000.0);
        }),
        problem("params: the grid must have fewer than 2^63 - 1 configurations (got more)", s -> {
          s.setSampler(SamplerKind.GRID);
          final List<ParamSpec> many = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            many.add(Specs.floatParam("p" + i, 0, 1, false, 10_000));
          }
          s.setParams(many);
        }),
        problem("params[1] 'momentum'.activeWhen: the parent must be a parameter declared before 'momentum' "
            + "(got 'optimizer'; declared before it: [lr])",
            s -> ConditionalParamsTest.when(param(s, 1), "optimizer", "sgd")),
        problem("params[2] 'layers'.activeWhen: needs at least one value of 'lr' (allowed: a number from 1.0E-4 "
            + "to 0.1)", s -> ConditionalParamsTest.when(param(s, 2), "lr")),
        problem("params[2] 'layers'.activeWhen: 0.5 is not a value of 'momentum' (allowed: a number from 0.8 to "
            + "0.99)", s -> ConditionalParamsTest.when(param(s, 2), "momentum", 0.5)),
        problem("searchOptions.gamma: only the tpe sampler reads it (sampler is random); remove it or set sampler: "
            + "tpe", s -> s.setSearchOptions(SearchOptions.newBuilder().setGamma(0.3).build())),
        problem("searchOptions.gamma: must be between 0 and 1, both excluded (got 1.0)", s -> {
          s.setSampler(SamplerKind.TPE);
          s.setSearchOptions(SearchOptions.newBuilder().setGamma(1.0).build());
        }),
        problem("searchOptions.nStartupTrials: must be between 1 and 2147483647 (got 0)", s -> {
          s.setSampler(SamplerKind.TPE);
          s.setSearchOptions(SearchOptions.newBuilder().setNStartupTrials(0).build());
        }),
        problem("searchOptions.tournamentSize: must be between 1 and 20 (got 30)", s -> {
          s.setSampler(SamplerKind.EVOLUTION);
          s.setSearchOptions(SearchOptions.newBuilder().setTournamentSize(30).build());
        }),
        problem("searchOptions.mutationProbability: must be between 0 and 1 (got 1.5)", s -> {
          s.setSampler(SamplerKind.EVOLUTION);
          s.setSearchOptions(SearchOptions.newBuilder().setMutationProbability(1.5).build());
        }),
        problem("pointsToEvaluate[0].width: not a parameter of the study (parameters: [lr, momentum, layers, "
            + "optimizer])", s -> point(s, "width", 3L)),
        problem("pointsToEvaluate[0].lr: must be a number from 1.0E-4 to 0.1 (got 0.5)", s -> point(s, "lr", 0.5)),
        problem("pointsToEvaluate[0].layers: must be a whole number from 1 to 4 (got 2.5)",
            s -> point(s, "layers", 2.5)),
        problem("pointsToEvaluate[0].optimizer: must be one of [sgd, adam] (got rmsprop)",
            s -> point(s, "optimizer", "rmsprop")),
        problem("pointsToEvaluate[0].layers: required, a whole number from 1 to 4", s -> point(s, "layers", null)));
  }

  /** A valid warm-start point with one value replaced (or removed, for null). */
  private static void point(final StudySpec spec, final String name, final Object value) {
    final Map<String, Object> point = new HashMap<>(Map.of("lr", 0.01, "momentum", 0.9, "layers", 2L,
        "optimizer", "adam"));
    if (value == null) {
      point.remove(name);
    } else {
      point.put(name, value);
    }
    spec.setPointsToEvaluate(new ArrayList<>(List.of(point)));
  }

  @Test
  void acceptsEverySamplerWithItsOwnOptionsAndAValidWarmStart() {
    final StudySpec spec = Specs.valid();
    point(spec, "lr", 1e-4);
    for (final SamplerKind kind : SamplerKind.values()) {
      spec.setSampler(kind);
      spec.setSearchOptions(kind == SamplerKind.TPE
          ? SearchOptions.newBuilder().setNStartupTrials(5).setGamma(0.2).setNEiCandidates(10).build()
          : kind == SamplerKind.EVOLUTION
              ? SearchOptions.newBuilder().setPopulationSize(8).setTournamentSize(3).setMutationProbability(0.3)
                  .setCrossoverProbability(0.7).build()
              : null);
      assertThat(Problem.messages(StudyValidator.validate(spec))).as(kind.name()).isEmpty();
    }
  }

  @Test
  void warmStartPointsMustLeaveInactiveParametersOut() {
    final StudySpec spec = ConditionalParamsTest.conditional(SamplerKind.RANDOM);
    spec.setPointsToEvaluate(new ArrayList<>(List.of(Map.of("optimizer", "adam", "momentum", 0.7, "lr", 0.01))));
    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly(
        "pointsToEvaluate[0].momentum: inactive here, as 'optimizer' is not one of [sgd]; remove it from the point");
  }

  @Test
  void boundsTheGridOfAConditionalSpace() {
    final StudySpec spec = ConditionalParamsTest.conditional(SamplerKind.GRID);
    spec.getParams().add(Specs.floatParam("a", 0, 1, false, 100));
    spec.getParams().add(Specs.floatParam("b", 0, 1, false, 100));
    assertThat(Problem.messages(StudyValidator.validate(spec))).containsExactly("params: a grid with conditional parameters "
        + "(activeWhen) may have at most 100000 combinations (got 240000); use fewer gridPoints");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void reportsEachProblemNamingTheFieldTheValueAndWhatIsAllowed(
      final String expected, final Consumer<StudySpec> change) {
    // given
    final StudySpec spec = Specs.valid();
    change.accept(spec);
    // when
    final List<String> problems = Problem.messages(StudyValidator.validate(spec));
    // then
    assertThat(problems).containsExactly(expected);
  }

  @Test
  void allowsAnIntRangeOf10000ValuesOnAGridWithoutGridPoints() {
    final StudySpec spec = Specs.study(SamplerKind.GRID, 0, Specs.intParam("n", 1, 10_000, false, null));
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
  }

  @Test
  void allowsALargeIntRangeUnderTheRandomSampler() {
    final StudySpec spec = Specs.study(SamplerKind.RANDOM, 0, Specs.intParam("n", 0, 1L << 40, false, null));
    assertThat(Problem.messages(StudyValidator.validate(spec))).isEmpty();
  }

  @Test
  void listsEveryProblemOfASpecWithSeveral() {
    // given
    final StudySpec spec = Specs.valid();
    spec.setEta(1);
    spec.setMetric("");
    spec.setLeaseMs(10L);
    spec.getParams().get(0).setLow(-1.0);
    spec.getParams().get(3).setName("momentum");
    spec.setMode(Mode.MAX);
    // when
    final List<String> problems = Problem.messages(StudyValidator.validate(spec));
    // then
    assertThat(problems).containsExactlyInAnyOrder(
        "metric: must not be blank (got '')",
        "eta: must be at least 2 (got 1)",
        "leaseMs: must be at least 1000 (got 10)",
        "params[0] 'lr'.low: must be > 0 on a log scale (got -1.0)",
        "params[3].name: must be unique (got a second 'momentum')");
  }

  private static Arguments problem(final String expected, final Consumer<StudySpec> change) {
    return Arguments.of(expected, change);
  }

  private static ParamSpec param(final StudySpec spec, final int index) {
    return spec.getParams().get(index);
  }
}
