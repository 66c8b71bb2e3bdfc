package io.kasha.spec;

import io.kasha.method.SchedulerSettings;
import io.kasha.space.SearchSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import io.kasha.space.Specs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

class StudyKeyTest {

  @Test
  void everyDefaultOfASpecFieldIsTheSchemasDefault() {
    for (final StudyKey key : StudyKey.values()) {
      final Schema.Field field = key.field() == null ? null
          : (key.perParam() ? ParamSpec.getClassSchema() : StudySpec.getClassSchema()).getField(key.field());
      if (field == null) {
        continue;
      }
      if (key.byDefault().required()) {
        assertThat(key.byDefault().value()).as(key.path()).isNull();
      } else if (field.hasDefaultValue() && key.byDefault().text() == null) {
        assertThat(key.byDefault().value()).as(key.path()).isEqualTo(SpecificData.get().getDefaultValue(field));
      } else {
        assertThat(key.byDefault().value()).as(key.path() + " has no default in the schema").isNull();
      }
    }
  }

  @Test
  void everyDefaultOfAMethodKnobIsTheOneTheMethodTakes() throws Exception {
    final SearchSettings search = SearchSettings.of(null);
    final SchedulerSettings scheduler = SchedulerSettings.of(Specs.valid());
    int checked = 0;
    for (final StudyKey key : StudyKey.values()) {
      final Object value = key.byDefault().value();
      if (key.field() == null || value == null || !key.field().contains(".")) {
        continue;
      }
      final String[] parts = key.field().split("\\.");
      final Object settings = parts[0].equals("searchOptions") ? search : scheduler;
      final Object actual = settings.getClass().getMethod(parts[1]).invoke(settings);
      assertThat(actual).as(key.path()).isEqualTo(value);
      checked++;
    }
    assertThat(checked).isEqualTo(16);
  }

  @Test
  void everySpecFieldIsAKeyOrListedWithTheReasonItIsNot() {
    final List<String> fields = new ArrayList<>();
    StudySpec.getClassSchema().getFields().forEach(f -> fields.add(f.name()));
    SearchOptions.getClassSchema().getFields().forEach(f -> fields.add("searchOptions." + f.name()));
    SchedulerOptions.getClassSchema().getFields().forEach(f -> fields.add("schedulerOptions." + f.name()));
    ParamSpec.getClassSchema().getFields().forEach(f -> fields.add(f.name()));

    assertThat(fields).allSatisfy(field -> assertThat(
        StudyKey.byField(field).isPresent() || StudyKey.NOT_FILE_KEYS.containsKey(field)).as(field).isTrue());
    assertThat(StudyKey.NOT_FILE_KEYS.keySet()).allSatisfy(field -> assertThat(fields).contains(field));
  }

  @Test
  void keysHaveOnePathAndOneFieldEach() {
    assertThat(Arrays.stream(StudyKey.values()).map(StudyKey::path)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(StudyKey.values()).map(StudyKey::field).filter(f -> f != null)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(StudyKey.values())).allSatisfy(key -> assertThat(key.doc()).isNotBlank());
  }

  @Test
  void theMethodsAKeyNamesAreMethods() {
    assertThat(Arrays.stream(StudyKey.values()).flatMap(k -> k.methods().stream()))
        .allSatisfy(method -> assertThat(StudyKey.methodNames()).contains(method));
  }

  @Test
  void everyProblemAValidatorReportsIsAboutACataloguedKeyAndNamesOnlyCataloguedKeys() {
    final List<Problem> problems = new ArrayList<>();
    StudyValidatorTest.problems().map(Arguments::get).forEach(args -> {
      final StudySpec spec = Specs.valid();
      @SuppressWarnings("unchecked")
      final Consumer<StudySpec> change = (Consumer<StudySpec>) args[1];
      change.accept(spec);
      problems.addAll(StudyValidator.validate(spec));
    });
    for (final SchedulerKind kind : SchedulerKind.values()) {
      problems.addAll(StudyValidator.validate(everyKnobWrong(kind)));
    }

    assertThat(problems).hasSizeGreaterThan(100);
    assertThat(problems).allSatisfy(problem -> {
      assertThat(problem.studyKey()).as(problem.toString()).isPresent();
      for (final String term : List.of(problem.toString(), problem.inFileTerms())) {
        assertThat(Arrays.stream(StudyKey.values()).filter(k -> k.field() != null)
            .map(k -> "{" + k.field() + "}")).allSatisfy(ref -> assertThat(term).doesNotContain(ref));
      }
    });
  }

  @Test
  void aProblemAboutAKeyOutsideTheCatalogueCannotBeMade() {
    assertThatThrownBy(() -> new Problem("studyId", null, "bad")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aProblemReadsInSpecTermsAndInStudyFileTerms() {
    final Problem points = new Problem("gridPoints", new Problem.Item(0, "x"),
        "required for a FLOAT range under the GRID sampler (for example {gridPoints}: 5)");
    final Problem resource = Problem.of(StudyKey.MAX_RESOURCE, "must be at least {minResource} (1) (got 0)");
    final Problem factor = Problem.of(StudyKey.PERTURBATION_FACTORS, 1, null, "must be above 0 (got -1.0)");

    assertThat(points).hasToString(
        "params[0] 'x'.gridPoints: required for a FLOAT range under the GRID sampler (for example gridPoints: 5)");
    assertThat(points.inFileTerms()).isEqualTo(
        "search.params.x.points: required for a FLOAT range under the GRID sampler (for example points: 5)");
    assertThat(resource).hasToString("maxResource: must be at least minResource (1) (got 0)");
    assertThat(resource.inFileTerms()).isEqualTo("scheduler.resource.max: must be at least scheduler.resource.min (1) "
        + "(got 0)");
    assertThat(factor.inFileTerms()).isEqualTo("scheduler.perturbation_factors[1]: must be above 0 (got -1.0)");
  }

  /** A spec with every scheduler knob set to a value no method accepts. */
  private static StudySpec everyKnobWrong(final SchedulerKind kind) {
    final StudySpec spec = Specs.valid();
    spec.setScheduler(kind);
    spec.setEarlyStoppingRate(1);
    spec.setMaxTrials(1);
    spec.setSchedulerOptions(SchedulerOptions.newBuilder().setMinRungSize(0L).setBrackets(99)
        .setBracketRule("fair").setTies("random").setGracePeriod(-1L).setMinSamples(0).setPerturbationInterval(0L)
        .setQuantileFraction(0.9).setResampleProbability(2.0).setPerturbationFactors(List.of(-1.0))
        .setHyperparamMutations(List.of("nope")).setCheckpoints(false).setObjectives(List.of())
        .setTieBreak("pareto").setWeights(List.of(-1.0)).build());
    spec.setSearchOptions(SearchOptions.newBuilder().setGamma(2.0).setPopulationSize(0).build());
    return spec;
  }
}
