package io.kasha.benchmark;

import static io.kasha.benchmark.Configurations.rng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeightTest {

  private static final Map<String, Object> BEST = Map.of("width", 20L, "height", -100L);

  private final Height height = new Height();

  @Test
  void reachesThePublishedOptimumAtTheLastEpoch() {
    assertThat(height.optimum()).isEqualTo(-9.949749);
    assertThat(height.lossNoiseFree(BEST, 100, 100)).isCloseTo(-9.949749, within(1e-6));
    assertThat(height.regret(BEST, 100)).isBetween(0.0, 1e-6);
  }

  @Test
  void epochRIsStepRMinusOne() {
    // step 0: 100 / 10 + 0.1 h whatever the width
    assertThat(height.lossNoiseFree(Map.of("width", 20L, "height", 30L), 1, 100)).isCloseTo(13.0, within(1e-12));
    // step 9: 100 / (10 + 5 * 9)
    assertThat(height.lossNoiseFree(Map.of("width", 5L, "height", 0L), 10, 100))
        .isCloseTo(100.0 / 55, within(1e-12));
    assertThat(height.lossNoiseFree(Map.of("width", 0L, "height", -100L), 100, 100)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void curvesFallWithTheEpochsAndFasterForAWiderConfiguration() {
    final Map<String, Object> narrow = Map.of("width", 1L, "height", 0L);
    final Map<String, Object> wide = Map.of("width", 10L, "height", 0L);

    assertThat(height.lossNoiseFree(narrow, 10, 100)).isLessThan(height.lossNoiseFree(narrow, 2, 100));
    assertThat(height.lossNoiseFree(wide, 10, 100)).isLessThan(height.lossNoiseFree(narrow, 10, 100));
  }

  @Test
  void costsOneSecondPerEpochAndHasNoNoise() {
    assertThat(height.cost(100, 100)).isEqualTo(100.0);
    assertThat(height.cost(3, 100)).isEqualTo(3.0);
    assertThat(height.loss(BEST, 7, 100, rng())).isEqualTo(height.lossNoiseFree(BEST, 7, 100));
  }

  @Test
  void searchSpaceIsTwoIntegerRanges() {
    assertThat(height.params()).extracting(ParamSpec::getName).containsExactly("width", "height");
    assertThat(height.params()).extracting(ParamSpec::getType).containsOnly(ParamType.INT);
    assertThat(height.params()).extracting(ParamSpec::getLow).containsExactly(0.0, -100.0);
    assertThat(height.params()).extracting(ParamSpec::getHigh).containsExactly(20.0, 100.0);
    assertThat(height.defaultMaxResource()).isEqualTo(100);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> height.lossNoiseFree(Map.of("width", 2.5, "height", 0L), 1, 100))
        .withMessageContaining("width must be an integer in [0, 20]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> height.lossNoiseFree(Map.of("width", 2L, "height", 101L), 1, 100))
        .withMessageContaining("height");
  }
}
