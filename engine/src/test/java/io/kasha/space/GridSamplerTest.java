package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridSamplerTest {

  @Test
  void enumeratesThe27ConfigurationsOfTable1OfTheAshaPaper() {
    // given
    final StudySpec spec = Specs.study(SamplerKind.GRID, 0,
        Specs.categorical("lr", 0.1, 0.01, 0.001),
        Specs.categorical("momentum", 0.85, 0.9, 0.95),
        Specs.categorical("weight_decay", 0.01, 0.001, 0.0001));
    final Sampler sampler = Sampler.forSpec(spec);
    // when
    final Set<Map<String, Object>> configurations = new HashSet<>();
    for (long i = 0; i < sampler.size().orElseThrow(); i++) {
      configurations.add(sampler.sample(i));
    }
    // then
    assertThat(sampler).isInstanceOf(GridSampler.class);
    assertThat(sampler.size()).hasValue(27);
    assertThat(configurations).hasSize(27)
        .contains(Map.of("lr", 0.001, "momentum", 0.9, "weight_decay", 0.0001));
  }

  @Test
  void variesTheLastParameterFastest() {
    // given
    final Sampler sampler = new GridSampler(List.of(
        Specs.categorical("a", "x", "y"),
        Specs.intParam("b", 1, 3, false, null)));
    // when
    final List<String> order = new ArrayList<>();
    for (long i = 0; i < 6; i++) {
      order.add(sampler.sample(i).values().toString());
    }
    // then
    assertThat(order).containsExactly("[x, 1]", "[x, 2]", "[x, 3]", "[y, 1]", "[y, 2]", "[y, 3]");
    assertThat(sampler.sample(4).keySet()).containsExactly("a", "b");
  }

  @Test
  void spacesFloatPointsEvenlyIncludingBothBounds() {
    final Sampler sampler = new GridSampler(List.of(Specs.floatParam("x", 0.0, 1.0, false, 5)));
    assertThat(values(sampler, "x")).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
  }

  @Test
  void spacesLogScaleFloatPointsEvenlyInLogSpace() {
    // given
    final Sampler sampler = new GridSampler(List.of(Specs.floatParam("lr", 1e-4, 1.0, true, 5)));
    // when
    final List<Object> values = values(sampler, "lr");
    // then
    assertThat(values).hasSize(5);
    final double[] expected = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
    for (int i = 0; i < expected.length; i++) {
      assertThat((Double) values.get(i)).isCloseTo(expected[i], within(expected[i] * 1e-12));
    }
    assertThat(values.get(0)).isEqualTo(1e-4);
    assertThat(values.get(4)).isEqualTo(1.0);
  }

  @Test
  void aSingleGridPointIsTheLowerBound() {
    final Sampler sampler = new GridSampler(List.of(Specs.floatParam("x", 2.0, 3.0, false, 1)));
    assertThat(values(sampler, "x")).containsExactly(2.0);
  }

  @Test
  void intGridPointsAreRoundedAndDeduplicated() {
    assertThat(values(new GridSampler(List.of(Specs.intParam("n", 1, 4, false, 10))), "n"))
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(values(new GridSampler(List.of(Specs.intParam("n", 0, 10, false, 3))), "n"))
        .containsExactly(0L, 5L, 10L);
    assertThat(values(new GridSampler(List.of(Specs.intParam("n", 1, 1000, true, 4))), "n"))
        .containsExactly(1L, 10L, 100L, 1000L);
  }

  @Test
  void anIntRangeWithoutGridPointsGivesEveryInteger() {
    assertThat(values(new GridSampler(List.of(Specs.intParam("n", -2, 2, false, null))), "n"))
        .containsExactly(-2L, -1L, 0L, 1L, 2L);
  }

  @Test
  void isDeterministic() {
    final StudySpec spec = Specs.valid();
    spec.setSampler(SamplerKind.GRID);
    final Sampler first = Sampler.forSpec(spec);
    final Sampler second = Sampler.forSpec(spec);
    assertThat(first.size()).hasValue(4 * 3 * 4 * 2);
    for (long i = 0; i < first.size().orElseThrow(); i++) {
      assertThat(second.sample(i)).isEqualTo(first.sample(i));
    }
  }

  @Test
  void refusesAnIndexOutsideTheGrid() {
    final Sampler sampler = new GridSampler(List.of(Specs.categorical("c", "a", "b")));
    assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> sampler.sample(2));
    assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> sampler.sample(-1));
  }

  private static List<Object> values(final Sampler sampler, final String name) {
    final List<Object> values = new ArrayList<>();
    for (long i = 0; i < sampler.size().orElseThrow(); i++) {
      values.add(sampler.sample(i).get(name));
    }
    return values;
  }
}
