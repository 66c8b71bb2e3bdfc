package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.StudySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {

  @Test
  void theSameSeedAndIndexGiveTheSameConfiguration() {
    // given two samplers built separately, as after a restart
    final Sampler first = Sampler.forSpec(Specs.valid());
    final Sampler second = Sampler.forSpec(Specs.valid());
    // then, in any order of asking
    assertThat(second.sample(17)).isEqualTo(first.sample(17));
    assertThat(second.sample(3)).isEqualTo(first.sample(3));
    assertThat(first).isInstanceOf(RandomSampler.class);
    assertThat(first.size()).isEmpty();
  }

  @Test
  void differentIndexesGiveDifferentConfigurations() {
    final Sampler sampler = Sampler.forSpec(Specs.valid());
    final Set<Object> learningRates = new HashSet<>();
    for (long i = 0; i < 1000; i++) {
      learningRates.add(sampler.sample(i).get("lr"));
    }
    assertThat(learningRates).hasSize(1000);
  }

  @Test
  void differentSeedsGiveDifferentSequences() {
    final StudySpec other = Specs.valid();
    other.setSeed(43L);
    assertThat(Sampler.forSpec(other).sample(0).get("lr")).isNotEqualTo(Sampler.forSpec(Specs.valid()).sample(0).get("lr"));
  }

  @Test
  void keepsTheParameterOrderAndValueTypes() {
    final Map<String, Object> configuration = Sampler.forSpec(Specs.valid()).sample(0);
    assertThat(configuration.keySet()).containsExactly("lr", "momentum", "layers", "optimizer");
    assertThat(configuration.get("lr")).isInstanceOf(Double.class);
    assertThat(configuration.get("momentum")).isInstanceOf(Double.class);
    assertThat(configuration.get("layers")).isInstanceOf(Long.class);
    assertThat(configuration.get("optimizer")).isIn("sgd", "adam");
  }

  @Test
  void staysWithinBoundsAndReachesBothEndsOfAnIntRange() {
    // given
    final Sampler sampler = new RandomSampler(List.of(
        Specs.floatParam("x", -2.0, 3.0, false, null),
        Specs.floatParam("lr", 1e-5, 1e-2, true, null),
        Specs.intParam("n", 1, 6, false, null),
        Specs.intParam("width", 3, 300, true, null),
        Specs.categorical("flag", true, 7L, 0.5, "s")), 5);
    final Set<Object> ints = new HashSet<>();
    final Set<Object> choices = new HashSet<>();
    // when
    for (long i = 0; i < 10_000; i++) {
      final Map<String, Object> c = sampler.sample(i);
      // then
      assertThat((Double) c.get("x")).isBetween(-2.0, 3.0);
      assertThat((Double) c.get("lr")).isBetween(1e-5, 1e-2);
      assertThat((Long) c.get("n")).isBetween(1L, 6L);
      assertThat((Long) c.get("width")).isBetween(3L, 300L);
      ints.add(c.get("n"));
      choices.add(c.get("flag"));
    }
    assertThat(ints).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(choices).containsExactlyInAnyOrder(true, 7L, 0.5, "s");
  }

  @Test
  void aRangeOfOneValueAlwaysGivesThatValue() {
    final Sampler sampler = new RandomSampler(List.of(
        Specs.floatParam("x", 0.5, 0.5, false, null), Specs.intParam("n", 9, 9, true, null)), 0);
    assertThat(sampler.sample(12)).isEqualTo(Map.of("x", 0.5, "n", 9L));
  }

  @Test
  void logScaleIsRoughlyUniformInLogSpace() {
    // given four decades
    final Sampler sampler = new RandomSampler(List.of(Specs.floatParam("lr", 1e-4, 1.0, true, null)), 11);
    final int[] perDecade = new int[4];
    // when
    for (long i = 0; i < 10_000; i++) {
      final double lr = (Double) sampler.sample(i).get("lr");
      perDecade[Math.min(3, (int) Math.floor(Math.log10(lr) + 4))]++;
    }
    // then about 2500 each (a uniform draw would put about 9 in the lowest decade)
    for (final int count : perDecade) {
      assertThat(count).isBetween(2250, 2750);
    }
  }

  @Test
  void logScaleIntegersFavourSmallValues() {
    // given 1..1000 on a log scale: about half the mass lies below 32
    final Sampler sampler = new RandomSampler(List.of(Specs.intParam("n", 1, 1000, true, null)), 3);
    int small = 0;
    // when
    for (long i = 0; i < 10_000; i++) {
      small += (Long) sampler.sample(i).get("n") < 32 ? 1 : 0;
    }
    // then
    assertThat(small).isBetween(4500, 6500);
  }

  @Test
  void linearScaleIsRoughlyUniform() {
    final ParamSpec x = Specs.floatParam("x", 0.0, 1.0, false, null);
    final Sampler sampler = new RandomSampler(List.of(x), 2);
    final int[] perQuarter = new int[4];
    for (long i = 0; i < 10_000; i++) {
      perQuarter[Math.min(3, (int) ((Double) sampler.sample(i).get("x") * 4))]++;
    }
    for (final int count : perQuarter) {
      assertThat(count).isBetween(2250, 2750);
    }
  }
}
