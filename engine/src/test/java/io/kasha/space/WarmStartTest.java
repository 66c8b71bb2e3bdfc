package io.kasha.space;

import io.kasha.spec.StudyValidator;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartTest {

  @Test
  void thePointsComeFirstInOrderThenTheSamplersSequenceFromItsStart() {
    // given
    final StudySpec spec = Specs.valid();
    spec.setPointsToEvaluate(new ArrayList<>(List.of(
        Map.of("lr", 0.01, "momentum", 0.9, "layers", 2L, "optimizer", "sgd"),
        Map.of("lr", 0.001, "momentum", 0.95, "layers", 3.0, "optimizer", "adam"))));
    final Searcher searcher = Searcher.forSpec(spec);
    final Sampler plain = Sampler.forSpec(spec);
    // when
    final Suggestion first = searcher.suggest(0, History.EMPTY);
    final Suggestion second = searcher.suggest(1, History.EMPTY);
    final Suggestion third = searcher.suggest(2, History.EMPTY);
    // then
    assertThat(first.params()).isEqualTo(Map.of("lr", 0.01, "momentum", 0.9, "layers", 2L, "optimizer", "sgd"));
    assertThat(first.params().keySet()).containsExactly("lr", "momentum", "layers", "optimizer");
    assertThat(first.how()).isEqualTo("warm-start point 1 of 2");
    assertThat(second.params().get("layers")).isEqualTo(3L);
    assertThat(third.params()).isEqualTo(plain.sample(0));
  }

  @Test
  void aGridStudyRunsThePointsAndTheWholeGrid() {
    final StudySpec spec = Specs.study(SamplerKind.GRID, 0, Specs.intParam("n", 1, 3, false, null));
    spec.setPointsToEvaluate(new ArrayList<>(List.of(Map.of("n", 2L))));
    final Searcher searcher = Searcher.forSpec(spec);
    assertThat(searcher.size()).hasValue(4);
    assertThat(List.of(searcher.suggest(0, History.EMPTY).params().get("n"),
        searcher.suggest(1, History.EMPTY).params().get("n"), searcher.suggest(3, History.EMPTY).params().get("n")))
        .containsExactly(2L, 1L, 3L);
  }

  @Test
  void pointsDropNothingButInactiveParametersAreAbsent() {
    final StudySpec spec = ConditionalParamsTest.conditional(SamplerKind.TPE);
    spec.setPointsToEvaluate(new ArrayList<>(List.of(Map.of("optimizer", "adam", "lr", 0.01))));
    assertThat(StudyValidator.validate(spec)).isEmpty();
    assertThat(Searcher.forSpec(spec).suggest(0, History.EMPTY).params())
        .isEqualTo(Map.of("optimizer", "adam", "lr", 0.01));
  }
}
