package io.kasha.cli.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.kasha.cli.study.StudyFile.InvalidStudyFile;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudySpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyFileTest {

  /** Module-relative: Surefire runs in the cli module's directory. */
  private static final Path EXAMPLES = Path.of("..", "examples");

  /** The smallest valid study: every optional key left out. */
  private static final String MINIMAL = """
      name: tiny
      entrypoint: bowl
      objective: {metric: loss, mode: min}
      search:
        params:
          x: {type: float, low: 0.0, high: 1.0}
      scheduler:
        resource: {max: 27}
      budget: {max_trials: 9}
      """;

  @TempDir
  Path dir;

  @Nested
  class Examples {

    @Test
    void everyMethodStudyReadsAndPassesTheSchedulersChecks() throws Exception {
      try (java.util.stream.Stream<Path> files = Files.list(EXAMPLES.resolve("methods"))) {
        for (final Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          final StudySpec spec = StudyFile.read(file).spec();

          assertThat(io.kasha.spec.StudyValidator.validate(spec)).as(file.toString()).isEmpty();
          assertThat(spec.getScheduler().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".yaml")
              .isEqualTo(file.getFileName().toString());
        }
      }
    }

    @Test
    void quickstartIsAGridOverThreeCategoricalParams() throws Exception {
      final StudyFile study = StudyFile.read(EXAMPLES.resolve("quickstart.yaml"));

      final StudySpec spec = study.spec();
      assertThat(spec.getName()).isEqualTo("quickstart");
      assertThat(spec.getEntrypoint()).isEqualTo("quickstart-mlp");
      assertThat(spec.getMetric()).isEqualTo("val_loss");
      assertThat(spec.getMode()).isEqualTo(Mode.MIN);
      assertThat(spec.getSampler()).isEqualTo(SamplerKind.GRID);
      assertThat(spec.getParams()).extracting(ParamSpec::getName)
          .containsExactly("learning_rate", "momentum", "weight_decay");
      assertThat(spec.getParams()).extracting(ParamSpec::getType).containsOnly(ParamType.CATEGORICAL);
      assertThat(spec.getParams().get(0).getChoices()).containsExactly(0.1, 0.01, 0.001);
      assertThat(spec.getParams().get(1).getChoices()).containsExactly(0.85, 0.9, 0.95);
      assertThat(spec.getParams().get(2).getChoices()).containsExactly(0.01, 0.001, 0.0001);
      assertThat(spec.getEta()).isEqualTo(3);
      assertThat(spec.getResourceName()).isEqualTo("epoch");
      assertThat(spec.getMinResource()).isEqualTo(1);
      assertThat(spec.getMaxResource()).isEqualTo(27);
      assertThat(spec.getParallelism()).isEqualTo(4);
      assertThat(spec.getMaxTrials()).isEqualTo(27);
      assertThat(spec.getMaxDurationMs()).isEqualTo(600_000L);
      assertThat(spec.getTarget()).isNull();
      assertThat(study.runners()).isEqualTo(4);
    }

    @Test
    void pythonStudyDrawsAtRandomFromLogRangesWithASeed() throws Exception {
      final StudyFile study = StudyFile.read(EXAMPLES.resolve("python").resolve("study.yaml"));

      final StudySpec spec = study.spec();
      assertThat(spec.getEntrypoint()).isEqualTo("python-logreg");
      assertThat(spec.getSampler()).isEqualTo(SamplerKind.RANDOM);
      assertThat(spec.getSeed()).isEqualTo(7L);
      assertThat(spec.getParams()).extracting(ParamSpec::getName).containsExactly("learning_rate", "l2");
      assertThat(spec.getParams()).allSatisfy(param -> {
        assertThat(param.getType()).isEqualTo(ParamType.FLOAT);
        assertThat(param.getLog()).isTrue();
        assertThat(param.getChoices()).isEmpty();
        assertThat(param.getGridPoints()).isNull();
      });
      assertThat(spec.getParams().get(0).getLow()).isEqualTo(0.001);
      assertThat(spec.getParams().get(0).getHigh()).isEqualTo(1.0);
      assertThat(spec.getParams().get(1).getLow()).isEqualTo(0.00001);
      assertThat(spec.getParams().get(1).getHigh()).isEqualTo(0.1);
      assertThat(spec.getMaxResource()).isEqualTo(9);
      assertThat(spec.getMaxTrials()).isEqualTo(18);
      assertThat(study.runners()).isEqualTo(2);
    }
  }

  @Nested
  class Defaults {

    @Test
    void optionalKeysTakeTheirDocumentedDefaults() throws Exception {
      final StudyFile study = read(MINIMAL);

      final StudySpec spec = study.spec();
      assertThat(spec.getSampler()).isEqualTo(SamplerKind.RANDOM);
      assertThat(spec.getSeed()).isZero();
      assertThat(spec.getEta()).isEqualTo(3);
      assertThat(spec.getResourceName()).isEqualTo("epoch");
      assertThat(spec.getMinResource()).isEqualTo(1);
      assertThat(spec.getEarlyStoppingRate()).isZero();
      assertThat(spec.getParallelism()).isEqualTo(4);
      assertThat(spec.getMaxDurationMs()).isNull();
      assertThat(spec.getTarget()).isNull();
      assertThat(spec.getLeaseMs()).isEqualTo(600_000L);
      assertThat(spec.getMaxAttempts()).isEqualTo(3);
      assertThat(spec.getKeepCheckpoints()).isFalse();
      assertThat(study.runners()).isEqualTo(4);
    }

    @Test
    void keepCheckpointsKeepsEveryCheckpointOfTheStudy() throws Exception {
      final StudyFile study = read(MINIMAL + "keep_checkpoints: true\n");

      assertThat(study.spec().getKeepCheckpoints()).isTrue();
    }

    @Test
    void runnersDefaultToTheParallelism() throws Exception {
      final StudyFile study = read(MINIMAL.replace("resource: {max: 27}", "resource: {max: 27}\n  parallelism: 7"));

      assertThat(study.spec().getParallelism()).isEqualTo(7);
      assertThat(study.runners()).isEqualTo(7);
    }

    @Test
    void everyDocumentedKeyIsRead() throws Exception {
      final StudyFile study = StudyFile.read(resource("every-key.yaml"));

      final StudySpec spec = study.spec();
      assertThat(spec.getMode()).isEqualTo(Mode.MAX);
      assertThat(spec.getSampler()).isEqualTo(SamplerKind.GRID);
      assertThat(spec.getSeed()).isEqualTo(7L);
      assertThat(spec.getEta()).isEqualTo(4);
      assertThat(spec.getResourceName()).isEqualTo("step");
      assertThat(spec.getMinResource()).isEqualTo(2);
      assertThat(spec.getMaxResource()).isEqualTo(128);
      assertThat(spec.getEarlyStoppingRate()).isEqualTo(1);
      assertThat(spec.getParallelism()).isEqualTo(6);
      assertThat(spec.getMaxTrials()).isEqualTo(40);
      assertThat(spec.getMaxDurationMs()).isEqualTo(2 * 3_600_000L);
      assertThat(spec.getTarget()).isEqualTo(0.95);
      assertThat(spec.getLeaseMs()).isEqualTo(30_000L);
      assertThat(spec.getMaxAttempts()).isEqualTo(5);
      assertThat(spec.getKeepCheckpoints()).isTrue();
      assertThat(study.runners()).isEqualTo(2);
    }
  }

  @Nested
  class Params {

    @Test
    void intRangeOnALogScale() throws Exception {
      final ParamSpec hidden = onlyParam("hidden: {type: int, low: 8, high: 64, log: true}");

      assertThat(hidden.getName()).isEqualTo("hidden");
      assertThat(hidden.getType()).isEqualTo(ParamType.INT);
      assertThat(hidden.getLow()).isEqualTo(8.0);
      assertThat(hidden.getHigh()).isEqualTo(64.0);
      assertThat(hidden.getLog()).isTrue();
      assertThat(hidden.getGridPoints()).isNull();
    }

    @Test
    void floatRangeWithGridPoints() throws Exception {
      final ParamSpec dropout = onlyParam("dropout: {type: float, low: 0.0, high: 0.5, points: 5}");

      assertThat(dropout.getType()).isEqualTo(ParamType.FLOAT);
      assertThat(dropout.getLow()).isEqualTo(0.0);
      assertThat(dropout.getHigh()).isEqualTo(0.5);
      assertThat(dropout.getLog()).isFalse();
      assertThat(dropout.getGridPoints()).isEqualTo(5);
    }

    @Test
    void typeIsCaseInsensitive() throws Exception {
      final ParamSpec layers = onlyParam("layers: {type: INT, low: 1, high: 4}");

      assertThat(layers.getType()).isEqualTo(ParamType.INT);
    }

    @Test
    void choicesKeepTheirYamlTypes() throws Exception {
      final ParamSpec mixed = onlyParam("mixed: {choices: [adam, 3, true, 0.5]}");

      assertThat(mixed.getType()).isEqualTo(ParamType.CATEGORICAL);
      assertThat(mixed.getChoices()).containsExactly("adam", 3L, true, 0.5);
    }

    @Test
    void choicesMayBeDeclaredCategoricalExplicitly() throws Exception {
      final ParamSpec optimizer = onlyParam("optimizer: {type: categorical, choices: [adam, sgd]}");

      assertThat(optimizer.getType()).isEqualTo(ParamType.CATEGORICAL);
      assertThat(optimizer.getChoices()).containsExactly("adam", "sgd");
    }

    @Test
    void paramsKeepTheFileOrder() throws Exception {
      final StudyFile study = read(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}",
          "zeta: {choices: [1, 2]}\n    alpha: {choices: [1, 2]}\n    mu: {choices: [1, 2]}"));

      assertThat(study.spec().getParams()).extracting(ParamSpec::getName).containsExactly("zeta", "alpha", "mu");
    }

    private ParamSpec onlyParam(final String line) throws Exception {
      final StudyFile study = read(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}", line));
      assertThat(study.spec().getParams()).hasSize(1);
      return study.spec().getParams().get(0);
    }
  }

  @Nested
  class Problems {

    @Test
    void unknownTopLevelKeyIsNamedWithTheAllowedKeys() throws Exception {
      final List<String> problems = problemsOf(MINIMAL + "runer: 4\n");

      assertThat(problems).containsExactly("runer: unknown key (allowed: budget, entrypoint, jobs, keep_checkpoints, "
          + "name, objective, objectives, runners, scheduler, search)");
    }

    @Test
    void unknownNestedKeyIsNamedByItsPath() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("resource: {max: 27}",
          "resource: {max: 27}\n  resoure: {max: 9}"));

      assertThat(problems).containsExactly(
          "scheduler.resoure: unknown key (allowed: bracket_rule, brackets, checkpoints, early_stopping_rate, eta, "
              + "grace_period, hyperparam_mutations, method, min_rung_size, min_samples, parallelism, "
              + "perturbation_factors, perturbation_interval, quantile_fraction, resample_probability, resource, "
              + "tie_break, ties, weights)");
    }

    @Test
    void unknownKeyInsideAParamIsNamedByItsPath() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("high: 1.0}", "high: 1.0, lg: true}"));

      assertThat(problems).containsExactly(
          "search.params.x.lg: unknown key (allowed: choices, high, log, low, points, type, when)");
    }

    @Test
    void unknownModeListsTheAllowedModes() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("mode: min", "mode: sideways"));

      assertThat(problems).containsExactly("objective.mode: unknown value 'sideways' (allowed: min, max)");
    }

    @Test
    void missingModeListsTheAllowedModes() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace(", mode: min", ""));

      assertThat(problems).containsExactly("objective.mode: required (allowed: min, max)");
    }

    @Test
    void unknownSamplerListsTheAllowedSamplers() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("search:", "search:\n  sampler: bayes"));

      assertThat(problems).containsExactly(
          "search.sampler: unknown value 'bayes' (allowed: random, grid, sobol, tpe, evolution)");
    }

    @Test
    void wordWhereAWholeNumberIsExpected() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("max_trials: 9", "max_trials: many"));

      assertThat(problems).containsExactly("budget.max_trials: expected a whole number (got \"many\")");
    }

    @Test
    void fractionWhereAWholeNumberIsExpected() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("max_trials: 9", "max_trials: 2.5"));

      assertThat(problems).containsExactly("budget.max_trials: expected a whole number (got 2.5)");
    }

    @Test
    void missingMaxTrialsIsRequired() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("{max_trials: 9}", "{max_duration: 1h}"));

      assertThat(problems).containsExactly("budget.max_trials: required, a whole number");
    }

    @Test
    void durationWithoutAUnitExplainsTheFormat() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("max_trials: 9", "max_trials: 9, max_duration: soon"));

      assertThat(problems).containsExactly("budget.max_duration: 'soon' is not a duration: use a number with a unit "
          + "(500ms, 30s, 10m, 2h, 1d) or ISO-8601 (PT30M)");
    }

    @Test
    void zeroDurationIsRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL + "jobs: {lease: 0s}\n");

      assertThat(problems).containsExactly("jobs.lease: duration must be positive, got '0s'");
    }

    @Test
    void isoDurationIsAccepted() throws Exception {
      final StudyFile study = read(MINIMAL + "jobs: {lease: PT30M}\n");

      assertThat(study.spec().getLeaseMs()).isEqualTo(1_800_000L);
    }

    @Test
    void everyMissingRequiredSectionIsNamed() throws Exception {
      final List<String> problems = problemsOf("name: tiny\nentrypoint: bowl\n");

      assertThat(problems).contains(
          "objective: required section is missing",
          "search: required section is missing",
          "scheduler: required section is missing",
          "budget: required section is missing");
      assertThat(problems).noneMatch(problem -> problem.startsWith("jobs"));
    }

    @Test
    void missingNameAndEntrypointAreRequired() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("name: tiny\nentrypoint: bowl\n", ""));

      assertThat(problems).containsExactly("name: required", "entrypoint: required");
    }

    @Test
    void listWhereTextIsExpectedIsNamedAsSuch() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("name: tiny", "name: [tiny, small]"));

      assertThat(problems).containsExactly("name: expected text (got [\"tiny\",\"small\"])");
    }

    @Test
    void sectionThatIsNotAMappingIsNamed() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("budget: {max_trials: 9}", "budget: 9"));

      assertThat(problems).contains("budget: expected a mapping (got 9)");
    }

    @Test
    void paramThatIsNotAMappingIsNamed() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}", "x: 0.5"));

      assertThat(problems).containsExactly(
          "search.params.x: expected a mapping such as {choices: [a, b]} or {type: float, low: 0.0, high: 1.0}");
    }

    @Test
    void emptyParamsAreRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}", "{}"));

      assertThat(problems).singleElement().asString().startsWith("search.params: required, a mapping");
    }

    @Test
    void emptyChoicesAreRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}",
          "x: {choices: []}"));

      assertThat(problems).containsExactly("search.params.x.choices: expected a non-empty list, for example [0.1, 0.01]");
    }

    @Test
    void choiceThatIsNotAScalarIsRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}",
          "x: {choices: [1, [2, 3]]}"));

      assertThat(problems).containsExactly(
          "search.params.x.choices: values must be numbers, strings or booleans (got [2,3])");
    }

    @Test
    void choicesWithANonCategoricalTypeAreRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("x: {type: float, low: 0.0, high: 1.0}",
          "x: {type: float, choices: [1, 2]}"));

      assertThat(problems).containsExactly(
          "search.params.x.type: a parameter with choices is categorical (got 'float'); remove type or the choices");
    }

    @Test
    void unknownParamTypeListsTheAllowedTypes() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("type: float", "type: string"));

      assertThat(problems).containsExactly(
          "search.params.x.type: unknown type 'string' (allowed: float, int; or give choices)");
    }

    @Test
    void boundThatIsNotANumberIsNamed() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("low: 0.0", "low: tiny"));

      assertThat(problems).containsExactly("search.params.x.low: expected a number (got \"tiny\")");
    }

    @Test
    void logThatIsNotABooleanIsNamed() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("high: 1.0}", "high: 1.0, log: 2}"));

      assertThat(problems).containsExactly("search.params.x.log: expected true or false (got 2)");
    }

    @Test
    void fewerThanOneRunnerIsRefused() throws Exception {
      final List<String> problems = problemsOf(MINIMAL + "runners: 0\n");

      assertThat(problems).containsExactly("runners: must be at least 1 (got 0)");
    }

    @Test
    void severalProblemsAreAllReportedInOneException() throws Exception {
      final Path file = resource("several-problems.yaml");

      final InvalidStudyFile invalid = catchThrowableOfType(InvalidStudyFile.class, () -> StudyFile.read(file));

      assertThat(invalid.problems()).containsExactly(
          "colour: unknown key (allowed: budget, entrypoint, jobs, keep_checkpoints, name, objective, objectives, "
              + "runners, scheduler, search)",
          "objective.mode: unknown value 'sideways' (allowed: min, max)",
          "search.sampler: unknown value 'bayes' (allowed: random, grid, sobol, tpe, evolution)",
          "search.params.optimizer.choices: expected a non-empty list, for example [0.1, 0.01]",
          "search.params.width.type: unknown type 'wide' (allowed: float, int; or give choices)",
          "scheduler.resoure: unknown key (allowed: bracket_rule, brackets, checkpoints, early_stopping_rate, eta, "
              + "grace_period, hyperparam_mutations, method, min_rung_size, min_samples, parallelism, "
              + "perturbation_factors, perturbation_interval, quantile_fraction, resample_probability, resource, "
              + "tie_break, ties, weights)",
          "budget.max_trials: expected a whole number (got \"many\")");
      assertThat(invalid).hasMessageStartingWith(file + ": 7 problems\n  - colour: unknown key")
          .hasMessageContaining("\n  - budget.max_trials: expected a whole number");
    }

    @Test
    void singleProblemIsCountedInTheSingular() throws Exception {
      final Path file = write(MINIMAL + "runners: 0\n");

      final InvalidStudyFile invalid = catchThrowableOfType(InvalidStudyFile.class, () -> StudyFile.read(file));

      assertThat(invalid).hasMessage(file + ": 1 problem\n  - runners: must be at least 1 (got 0)");
    }

    @Test
    void invalidYamlIsOneProblem() throws Exception {
      final List<String> problems = problemsOf("name: tiny\nsearch: {params: [unclosed\n");

      assertThat(problems).singleElement().asString().startsWith("not valid YAML: ");
    }

    @Test
    void documentThatIsAListIsRefused() throws Exception {
      final List<String> problems = problemsOf("- name: tiny\n- entrypoint: bowl\n");

      assertThat(problems).containsExactly("the file must be a YAML mapping with at least name, entrypoint, "
          + "objective, search, scheduler and budget");
    }

    @Test
    void emptyDocumentIsRefused() throws Exception {
      final List<String> problems = problemsOf("# nothing here\n");

      assertThat(problems).singleElement().asString().startsWith("the file must be a YAML mapping");
    }
  }

  private StudyFile read(final String yaml) throws IOException, InvalidStudyFile {
    return StudyFile.read(write(yaml));
  }

  private List<String> problemsOf(final String yaml) throws IOException {
    final Path file = write(yaml);
    final InvalidStudyFile invalid = catchThrowableOfType(InvalidStudyFile.class, () -> StudyFile.read(file));
    assertThat(invalid).as("reading %n%s", yaml).isNotNull();
    return invalid.problems();
  }

  private Path write(final String yaml) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "study", ".yaml"), yaml);
  }

  @Nested
  class Searchers {

    @Test
    void theExampleOfEachSamplerIsAValidStudy() throws Exception {
      final java.util.Set<SamplerKind> covered = java.util.EnumSet.noneOf(SamplerKind.class);
      try (var files = Files.list(EXAMPLES.resolve("search"))) {
        for (final Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          final StudySpec spec = StudyFile.read(file).spec();
          assertThat(io.kasha.spec.StudyValidator.validate(spec)).as(file.toString()).isEmpty();
          assertThat(file.getFileName().toString()).isEqualTo(spec.getSampler().name().toLowerCase(java.util.Locale.ROOT)
              + ".yaml");
          covered.add(spec.getSampler());
        }
      }
      assertThat(covered).containsExactlyInAnyOrder(SamplerKind.values());
    }

    @Test
    void everySamplerIsNamedInLowerCase() throws Exception {
      for (final SamplerKind kind : SamplerKind.values()) {
        final String yaml = MINIMAL.replace("search:", "search:\n  sampler: " + kind.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(StudyFile.read(write(yaml)).spec().getSampler()).isEqualTo(kind);
      }
    }

    @Test
    void knobsUnderSearchBecomeTheSearchOptions() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL.replace("search:",
          "search:\n  sampler: tpe\n  n_startup_trials: 5\n  gamma: 0.2\n  n_ei_candidates: 12"))).spec();
      assertThat(spec.getSearchOptions().getNStartupTrials()).isEqualTo(5);
      assertThat(spec.getSearchOptions().getGamma()).isEqualTo(0.2);
      assertThat(spec.getSearchOptions().getNEiCandidates()).isEqualTo(12);
      assertThat(spec.getSearchOptions().getPopulationSize()).isNull();
      assertThat(StudyFile.read(write(MINIMAL)).spec().getSearchOptions()).isNull();
    }

    @Test
    void whenNamesTheParentAndOneOrMoreValues() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL.replace("    x: {type: float, low: 0.0, high: 1.0}",
          "    optimizer: {choices: [sgd, adam, rmsprop]}\n"
              + "    momentum: {type: float, low: 0.5, high: 0.9, when: {optimizer: sgd}}\n"
              + "    decay: {type: float, low: 0.0, high: 0.1, when: {optimizer: [sgd, rmsprop]}}"))).spec();
      assertThat(spec.getParams().get(1).getActiveWhen().getParent()).isEqualTo("optimizer");
      assertThat(spec.getParams().get(1).getActiveWhen().getValues()).containsExactly("sgd");
      assertThat(spec.getParams().get(2).getActiveWhen().getValues()).containsExactly("sgd", "rmsprop");
      assertThat(spec.getParams().get(0).getActiveWhen()).isNull();
    }

    @Test
    void aWhenThatIsNotOneParentIsNamedWithAnExample() throws Exception {
      final List<String> problems = problemsOf(MINIMAL.replace("high: 1.0}", "high: 1.0, when: [a]}"));
      assertThat(problems).containsExactly("search.params.x.when: expected one parent parameter and its value or "
          + "values, for example {optimizer: sgd} or {optimizer: [sgd, rmsprop]} (got [\"a\"])");
    }

    @Test
    void pointsToEvaluateKeepTheirOrderAndYamlTypes() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL.replace("search:",
          "search:\n  points_to_evaluate:\n    - {x: 0.5}\n    - {x: 1}"))).spec();
      assertThat(spec.getPointsToEvaluate()).containsExactly(java.util.Map.of("x", 0.5), java.util.Map.of("x", 1L));
    }

    @Test
    void pointsToEvaluateMustBeAListOfMappings() throws Exception {
      assertThat(problemsOf(MINIMAL.replace("search:", "search:\n  points_to_evaluate: {x: 0.5}")))
          .containsExactly("search.points_to_evaluate: expected a list of mappings of parameter name to value, for "
              + "example [{lr: 0.01, layers: 2}] (got {\"x\":0.5})");
    }

    @Test
    void aWrongCombinationIsRejectedNamingTheFieldAndTheFix() throws Exception {
      // given a grid over a float range without a point count, and an evolution knob under tpe
      final StudySpec grid = StudyFile.read(write(MINIMAL.replace("search:", "search:\n  sampler: grid"))).spec();
      // when
      final List<String> tpeProblems = io.kasha.spec.StudyValidator.validate(
          StudyFile.read(write(MINIMAL.replace("search:", "search:\n  sampler: tpe\n  population_size: 8"))).spec())
          .stream().map(io.kasha.spec.Problem::inFileTerms).toList();
      final List<String> gridProblems = io.kasha.spec.StudyValidator.validate(grid).stream()
          .map(io.kasha.spec.Problem::inFileTerms).toList();
      // then
      assertThat(tpeProblems).containsExactly("search.population_size: only the evolution sampler reads it "
          + "(search.sampler is tpe); remove it or set search.sampler: evolution");
      assertThat(gridProblems).containsExactly("search.params.x.points: required for a FLOAT range under the GRID "
          + "sampler (for example points: 5)");
    }
  }

  @Nested
  class Schedulers {

    @Test
    void everyMethodIsNamedInLowerCaseAndAshaIsTheDefault() throws Exception {
      for (final SchedulerKind kind : SchedulerKind.values()) {
        final String yaml = MINIMAL.replace("scheduler:",
            "scheduler:\n  method: " + kind.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(StudyFile.read(write(yaml)).spec().getScheduler()).isEqualTo(kind);
      }
      assertThat(StudyFile.read(write(MINIMAL)).spec().getScheduler()).isEqualTo(SchedulerKind.ASHA);
      assertThat(StudyFile.read(write(MINIMAL)).spec().getSchedulerOptions()).isNull();
    }

    @Test
    void knobsUnderSchedulerBecomeTheSchedulerOptions() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL.replace("scheduler:", "scheduler:\n  method: pbt\n"
          + "  perturbation_interval: 3\n  quantile_fraction: 0.5\n  resample_probability: 0.1\n"
          + "  perturbation_factors: [2, 0.5]\n  hyperparam_mutations: [x]\n  checkpoints: true"))).spec();

      final SchedulerOptions options = spec.getSchedulerOptions();
      assertThat(options.getPerturbationInterval()).isEqualTo(3L);
      assertThat(options.getQuantileFraction()).isEqualTo(0.5);
      assertThat(options.getResampleProbability()).isEqualTo(0.1);
      assertThat(options.getPerturbationFactors()).containsExactly(2.0, 0.5);
      assertThat(options.getHyperparamMutations()).containsExactly("x");
      assertThat(options.getMinRungSize()).isNull();
      assertThat(options.getBrackets()).isNull();
    }

    @Test
    void objectivesTakeThePlaceOfObjectiveAndTheFirstIsTheStudyMetric() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL
          .replace("objective: {metric: loss, mode: min}", "objectives:\n  - {metric: loss, mode: min}\n"
              + "  - {metric: accuracy, mode: max}")
          .replace("scheduler:", "scheduler:\n  method: mo_asha\n  tie_break: weighted_sum\n  weights: [1, 2]")))
          .spec();

      assertThat(spec.getMetric()).isEqualTo("loss");
      assertThat(spec.getMode()).isEqualTo(Mode.MIN);
      assertThat(spec.getSchedulerOptions().getObjectives()).extracting(ObjectiveSpec::getMetric, ObjectiveSpec::getMode)
          .containsExactly(tuple("loss", Mode.MIN), tuple("accuracy", Mode.MAX));
      assertThat(spec.getSchedulerOptions().getTieBreak()).isEqualTo("weighted_sum");
      assertThat(spec.getSchedulerOptions().getWeights()).containsExactly(1.0, 2.0);
      assertThat(io.kasha.spec.StudyValidator.validate(spec)).isEmpty();
    }

    @Test
    void wrongCombinationsAreRejectedNamingTheFileKeyAndTheFix() throws Exception {
      // given PBT without checkpoints and without an interval, and a stopping knob under plain ASHA
      final StudySpec pbt = StudyFile.read(write(MINIMAL.replace("scheduler:",
          "scheduler:\n  method: pbt\n  checkpoints: false\n  perturbation_factors: [1.2, -1]"))).spec();
      final StudySpec asha = StudyFile.read(write(MINIMAL.replace("scheduler:",
          "scheduler:\n  eta: 1\n  grace_period: 2"))).spec();
      // when
      final List<String> pbtProblems = inFileTerms(pbt);
      final List<String> ashaProblems = inFileTerms(asha);
      // then
      assertThat(pbtProblems).containsExactly(
          "scheduler.perturbation_interval: required by the pbt scheduler; set the resource trained between two "
              + "looks at the population, for example 6",
          "scheduler.checkpoints: PBT copies the checkpoint of a better trial, so the entrypoint must write "
              + "checkpoints (got none); turn checkpoints on or choose another method",
          "scheduler.perturbation_factors[1]: must be a finite number > 0 (got -1.0)");
      assertThat(ashaProblems).containsExactly(
          "scheduler.eta: must be at least 2 (got 1)",
          "scheduler.grace_period: only the median_stopping scheduler reads it (scheduler.method is asha); "
              + "remove it or set scheduler.method to median_stopping");
    }

    @Test
    void theAshaKnobsMinRungSizeAndTiesReachTheSpec() throws Exception {
      final StudySpec spec = StudyFile.read(write(MINIMAL.replace("scheduler:",
          "scheduler:\n  min_rung_size: 6\n  ties: later"))).spec();

      assertThat(spec.getSchedulerOptions().getMinRungSize()).isEqualTo(6L);
      assertThat(spec.getSchedulerOptions().getTies()).isEqualTo("later");
      assertThat(inFileTerms(spec)).isEmpty();
      assertThat(inFileTerms(StudyFile.read(write(MINIMAL.replace("scheduler:", "scheduler:\n  ties: sometimes")))
          .spec())).containsExactly("scheduler.ties: must be earlier or later (got 'sometimes')");
    }

    @Test
    void anUnknownMethodListsTheAllowedOnes() throws Exception {
      assertThat(problemsOf(MINIMAL.replace("scheduler:", "scheduler:\n  method: bohb"))).containsExactly(
          "scheduler.method: unknown value 'bohb' (allowed: asha, asha_stopping, async_hyperband, "
              + "hyperband_stopping, median_stopping, pbt, mo_asha, sha, hyperband)");
    }

    private List<String> inFileTerms(final StudySpec spec) {
      return io.kasha.spec.StudyValidator.validate(spec).stream().map(io.kasha.spec.Problem::inFileTerms).toList();
    }
  }

  @Nested
  class SpecProblemsInFileTerms {

    @Test
    void topLevelSpecFieldsBecomeStudyFilePaths() throws Exception {
      assertThat(fileProblems(MINIMAL.replace("resource: {max: 27}", "resource: {max: 27}\n  eta: 1")))
          .containsExactly("scheduler.eta: must be at least 2 (got 1)");
      assertThat(fileProblems(MINIMAL.replace("{max: 27}", "{min: 2, max: 1}")))
          .containsExactly("scheduler.resource.max: must be at least scheduler.resource.min (2) (got 1)");
      assertThat(fileProblems(MINIMAL.replace("max_trials: 9", "max_trials: 0")))
          .containsExactly("budget.max_trials: must be at least 1 (got 0)");
    }

    @Test
    void parameterProblemsNameTheParameterAndTheFileKey() throws Exception {
      assertThat(fileProblems(MINIMAL.replace("low: 0.0, high: 1.0}", "low: 0.0, high: 1.0, log: true}")))
          .containsExactly("search.params.x.low: must be > 0 on a log scale (got 0.0)");
    }

    @Test
    void conditionsPointsAndKnobsBecomeStudyFilePaths() throws Exception {
      assertThat(fileProblems(MINIMAL.replace("    x: {type: float, low: 0.0, high: 1.0}",
          "    optimizer: {choices: [sgd, adam]}\n    momentum: {type: float, low: 0.5, high: 0.9, "
              + "when: {optimizer: 0.5}}")))
          .containsExactly("search.params.momentum.when: 0.5 is not a value of 'optimizer' (allowed: one of "
              + "[sgd, adam])");
      assertThat(fileProblems(MINIMAL.replace("search:", "search:\n  points_to_evaluate: [{x: 0.5}, {x: 2.0}]")))
          .containsExactly("search.points_to_evaluate[1].x: must be a number from 0.0 to 1.0 (got 2.0)");
      assertThat(fileProblems(MINIMAL.replace("search:", "search:\n  sampler: tpe\n  gamma: 1.0")))
          .containsExactly("search.gamma: must be between 0 and 1, both excluded (got 1.0)");
    }

    private List<String> fileProblems(final String yaml) throws Exception {
      return io.kasha.spec.StudyValidator.validate(read(yaml).spec()).stream()
          .map(io.kasha.spec.Problem::inFileTerms).toList();
    }
  }

  private static Path resource(final String name) throws URISyntaxException {
    return Path.of(StudyFileTest.class.getResource("/studies/" + name).toURI());
  }
}
