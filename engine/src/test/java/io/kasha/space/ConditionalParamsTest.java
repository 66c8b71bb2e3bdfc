package io.kasha.space;

import io.kasha.spec.StudyValidator;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

public class ConditionalParamsTest {

  /** optimizer in {sgd, adam}; momentum only for sgd; nesterov only when momentum is active and 0.9. */
  public static StudySpec conditional(final SamplerKind sampler) {
    final StudySpec spec = Specs.study(sampler, 5,
        Specs.categorical("optimizer", "sgd", "adam"),
        when(Specs.floatParam("momentum", 0.5, 0.9, false, 3), "optimizer", "sgd"),
        when(Specs.categorical("nesterov", true, false), "momentum", 0.9),
        Specs.floatParam("lr", 1e-3, 1e-1, true, 2));
    spec.setSearchOptions(sampler == SamplerKind.TPE
        ? SearchOptions.newBuilder().setNStartupTrials(5).build()
        : sampler == SamplerKind.EVOLUTION ? SearchOptions.newBuilder().setPopulationSize(5).build() : null);
    return spec;
  }

  public static ParamSpec when(final ParamSpec param, final String parent, final Object... values) {
    param.setActiveWhen(ParamCondition.newBuilder().setParent(parent).setValues(new ArrayList<>(List.of(values))).build());
    return param;
  }

  @Test
  void aChildIsActiveOnlyWhileItsParentIsActiveAndHasAListedValue() {
    final SearchSpace space = new SearchSpace(conditional(SamplerKind.RANDOM).getParams());
    assertThat(space.activeOnly(Map.of("optimizer", "adam", "momentum", 0.9, "nesterov", true, "lr", 0.01)))
        .containsOnlyKeys("optimizer", "lr");
    assertThat(space.activeOnly(Map.of("optimizer", "sgd", "momentum", 0.7, "nesterov", true, "lr", 0.01)))
        .containsOnlyKeys("optimizer", "momentum", "lr");
    assertThat(space.activeOnly(Map.of("optimizer", "sgd", "momentum", 0.9, "nesterov", true, "lr", 0.01)).keySet())
        .containsExactly("optimizer", "momentum", "nesterov", "lr");
  }

  @Test
  void theGridListsEachDistinctActiveConfigurationOnce() {
    // given sgd: 3 momenta, of which 0.9 doubles for nesterov, so 4 x 2 lr; adam: 2 lr
    final Sampler grid = Sampler.forSpec(conditional(SamplerKind.GRID));
    // then
    assertThat(grid.size()).hasValue(10);
    final Set<Map<String, Object>> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      seen.add(grid.sample(i));
    }
    assertThat(seen).hasSize(10);
    assertThat(seen).filteredOn(c -> "adam".equals(c.get("optimizer"))).hasSize(2)
        .allSatisfy(c -> assertThat(c).containsOnlyKeys("optimizer", "lr"));
  }

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void everySearcherLeavesInactiveParametersOut(final SamplerKind kind) {
    // given a history from which TPE and evolution build models
    final StudySpec spec = conditional(kind);
    final Searcher searcher = Searcher.forSpec(spec);
    final Sampler random = new RandomSampler(spec.getParams(), 99);
    final SearchSpace space = new SearchSpace(spec.getParams());
    final List<Observation> results = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      final Map<String, Object> params = space.activeOnly(random.sample(i));
      results.add(new Observation(i, params, 0, (Double) params.get("lr")));
    }
    final Set<Object> optimizers = new HashSet<>();
    // when
    for (int i = 0; i < 10; i++) {
      final Map<String, Object> c = searcher.suggest(i, new History(results)).params();
      optimizers.add(c.get("optimizer"));
      // then
      assertThat(c.containsKey("momentum")).isEqualTo("sgd".equals(c.get("optimizer")));
      assertThat(c.containsKey("nesterov")).isEqualTo(Values.same(0.9, c.get("momentum")));
      assertThat(c).containsKey("lr");
    }
    if (kind != SamplerKind.TPE) {
      // TPE learns which optimizer the good results used, so it may keep to one
      assertThat(optimizers).containsExactlyInAnyOrder("sgd", "adam");
    }
  }

  @Test
  void specsMadeForTheTestAreValid() {
    for (final SamplerKind kind : SamplerKind.values()) {
      assertThat(StudyValidator.validate(conditional(kind))).as(kind.name()).isEmpty();
    }
    assertThat(conditional(SamplerKind.TPE).getMode()).isEqualTo(Mode.MIN);
  }
}
