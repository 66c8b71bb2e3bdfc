package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.SamplerKind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SobolSamplerTest {

  private static final List<io.kasha.schemas.ParamSpec> UNIT_SQUARE = List.of(
      Specs.floatParam("x", 0.0, 1.0, false, null), Specs.floatParam("y", 0.0, 1.0, false, null));

  @Test
  void unscrambledPointsAreThePublishedSobolSequence() {
    // given the first two dimensions of Sobol's sequence (Bratley and Fox, Joe and Kuo)
    final double[][] published = {
        {0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125},
        {0.125, 0.625}};
    final SobolSampler sampler = SobolSampler.unscrambled(UNIT_SQUARE);
    // then, asked out of order as a restarted scheduler would
    for (int i = published.length - 1; i >= 0; i--) {
      assertThat(sampler.point(i)).containsExactly(published[i]);
      assertThat(sampler.sample(i)).isEqualTo(Map.of("x", published[i][0], "y", published[i][1]));
    }
  }

  @Test
  void theDigitalShiftKeepsEveryElementaryCellFilledOnceWhereRandomPointsClump() {
    // given the first 256 points, a (0, 8, 2)-net: each of the 16 x 16 cells holds exactly one point
    final SobolSampler scrambled = new SobolSampler(UNIT_SQUARE, 11);
    final SplittableRandom random = new SplittableRandom(11);
    final Set<Integer> sobolCells = new HashSet<>();
    final Set<Integer> randomCells = new HashSet<>();
    // when
    for (int i = 0; i < 256; i++) {
      final double[] p = scrambled.point(i);
      assertThat(p[0]).isBetween(0.0, 1.0).isLessThan(1.0);
      sobolCells.add(cell(p[0], p[1]));
      randomCells.add(cell(random.nextDouble(), random.nextDouble()));
    }
    // then
    assertThat(sobolCells).hasSize(256);
    assertThat(randomCells.size()).isLessThan(200);
  }

  @Test
  void theSeedChoosesTheShiftAndTheSameSeedGivesTheSamePoints() {
    final SobolSampler a = new SobolSampler(UNIT_SQUARE, 1);
    final SobolSampler b = new SobolSampler(UNIT_SQUARE, 1);
    final SobolSampler c = new SobolSampler(UNIT_SQUARE, 2);
    assertThat(b.point(5)).containsExactly(a.point(5));
    assertThat(c.point(5)).isNotEqualTo(a.point(5));
    assertThat(a.point(0)).isNotEqualTo(new double[] {0, 0});
  }

  @Test
  void mapsToLogIntAndCategoricalParametersWithinTheirRanges() {
    // given
    final var spec = Specs.valid();
    spec.setSampler(SamplerKind.SOBOL);
    final Sampler sampler = Sampler.forSpec(spec);
    final Set<Object> layers = new HashSet<>();
    final Set<Object> optimizers = new HashSet<>();
    // when
    for (int i = 0; i < 64; i++) {
      final Map<String, Object> c = sampler.sample(i);
      // then
      assertThat((Double) c.get("lr")).isBetween(1e-4, 1e-1);
      assertThat((Double) c.get("momentum")).isBetween(0.8, 0.99);
      layers.add(c.get("layers"));
      optimizers.add(c.get("optimizer"));
    }
    assertThat(sampler).isInstanceOf(SobolSampler.class);
    assertThat(layers).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    assertThat(optimizers).containsExactlyInAnyOrder("sgd", "adam");
  }

  @Test
  void logRangesAreCoveredEvenlyInLogSpace() {
    // given lr in [1e-4, 1e-0): 4 decades, 64 points
    final SobolSampler sampler = new SobolSampler(List.of(Specs.floatParam("lr", 1e-4, 1.0, true, null)), 3);
    final int[] perDecade = new int[4];
    for (int i = 0; i < 64; i++) {
      perDecade[(int) Math.floor(Math.log10((Double) sampler.sample(i).get("lr")) + 4)]++;
    }
    // then each decade gets its 16
    assertThat(perDecade).containsExactly(16, 16, 16, 16);
  }

  private static int cell(final double x, final double y) {
    return (int) (x * 16) * 16 + (int) (y * 16);
  }
}
