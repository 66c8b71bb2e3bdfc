package io.kasha.benchmark;

import static io.kasha.benchmark.Configurations.rng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.kasha.benchmark.Configurations.Sample;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.space.GridSampler;
import io.kasha.space.RandomSampler;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountingOnesTest {

  private final CountingOnes countingOnes = new CountingOnes();

  @Test
  void allOnesIsTheOptimumAtEveryNumberOfDraws() {
    final Map<String, Object> ones = configuration(1, 1, 1, 1, 1.0, 1.0, 1.0, 1.0);
    final SplittableRandom rng = rng();

    assertThat(countingOnes.optimum()).isEqualTo(-8.0);
    assertThat(countingOnes.lossNoiseFree(ones, 729, 729)).isEqualTo(-8.0);
    assertThat(countingOnes.regret(ones, 729)).isZero();
    for (final long b : new long[] {1, 9, 81, 729}) {
      assertThat(countingOnes.loss(ones, b, 729, rng)).isEqualTo(-8.0);
    }
    assertThat(new CountingOnes(2, 3).optimum()).isEqualTo(-5.0);
  }

  @Test
  void expectationCountsTheBinaryOnesAndTheContinuousValues() {
    final Map<String, Object> x = configuration(1, 0, 1, 0, 0.25, 0.5, 0.0, 1.0);

    assertThat(countingOnes.lossNoiseFree(x, 9, 729)).isEqualTo(-3.75);
    assertThat(countingOnes.regret(x, 729)).isEqualTo(4.25);
  }

  @Test
  void meanOfManyEvaluationsIsTheExpectation() {
    final Map<String, Object> x = configuration(1, 0, 1, 0, 0.25, 0.5, 0.75, 0.1);
    final SplittableRandom rng = rng();

    final Sample sample = Sample.of(20_000, () -> countingOnes.loss(x, 9, 729, rng));

    assertThat(sample.mean()).isCloseTo(-3.6, within(0.01));
  }

  @Test
  void lossConvergesToItsExpectationAsTheDrawsGrow() {
    // given four continuous parameters at 0.5: the variance of the loss is 4 * 0.25 / b = 1 / b
    final Map<String, Object> x = configuration(0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5);
    final SplittableRandom rng = rng();

    final Sample few = Sample.of(20_000, () -> countingOnes.loss(x, 9, 729, rng));
    final Sample many = Sample.of(5_000, () -> countingOnes.loss(x, 729, 729, rng));

    assertThat(few.variance()).isCloseTo(1.0 / 9, within(0.1 / 9));
    assertThat(many.variance()).isCloseTo(1.0 / 729, within(0.1 / 729));
    assertThat(many.mean()).isCloseTo(-2.0, within(0.005));
  }

  @Test
  void drawingOneAtATimeHasTheDistributionOfDrawingAllAtOnce() {
    // given four continuous parameters at 0.5, counted after 9 draws made one at a time
    final Map<String, Object> x = configuration(1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5);
    final SplittableRandom rng = rng();

    final Sample sample = Sample.of(20_000, () -> {
      long[] ones = new long[countingOnes.continuous()];
      for (int b = 0; b < 9; b++) {
        ones = countingOnes.drawOnce(x, ones, rng);
      }
      return countingOnes.loss(x, ones, 9);
    });

    // then mean and variance are those of loss(x, 9, ..): -(1 + 2) and 4 * 0.25 / 9
    assertThat(sample.mean()).isCloseTo(-3.0, within(0.01));
    assertThat(sample.variance()).isCloseTo(1.0 / 9, within(0.1 / 9));
  }

  @Test
  void countsOfOnesGiveTheLossOfTheirDraws() {
    final Map<String, Object> x = configuration(1, 1, 0, 0, 1.0, 0.0, 0.5, 0.5);
    final long[] none = new long[4];

    final long[] drawn = countingOnes.drawOnce(x, none, rng());

    assertThat(none).containsOnly(0L);
    assertThat(drawn[0]).isEqualTo(1);
    assertThat(drawn[1]).isZero();
    assertThat(countingOnes.loss(x, new long[] {4, 0, 2, 1}, 4)).isEqualTo(-(2 + 1.0 + 0.0 + 0.5 + 0.25));
    assertThatIllegalArgumentException().isThrownBy(() -> countingOnes.loss(x, new long[] {5, 0, 0, 0}, 4));
    assertThatIllegalArgumentException().isThrownBy(() -> countingOnes.loss(x, new long[] {0, 0, 0}, 4));
    assertThatIllegalArgumentException().isThrownBy(() -> countingOnes.drawOnce(x, new long[5], rng()));
  }

  @Test
  void costsOneSecondPerDraw() {
    assertThat(countingOnes.cost(729, 729)).isEqualTo(729.0);
    assertThat(countingOnes.cost(9, 729)).isEqualTo(9.0);
    assertThat(countingOnes.defaultMinResource()).isEqualTo(9);
    assertThat(countingOnes.defaultMaxResource()).isEqualTo(729);
  }

  @Test
  void binaryParametersAreIntRangesThatBothSamplersCover() {
    final List<ParamSpec> params = countingOnes.params();
    assertThat(params).extracting(ParamSpec::getName)
        .containsExactly("c1", "c2", "c3", "c4", "x1", "x2", "x3", "x4");
    assertThat(params.subList(0, 4)).extracting(ParamSpec::getType).containsOnly(ParamType.INT);
    assertThat(params.subList(4, 8)).extracting(ParamSpec::getType).containsOnly(ParamType.FLOAT);

    final GridSampler grid = new GridSampler(params.subList(0, 4));
    final Set<Object> drawn = new HashSet<>();
    final RandomSampler random = new RandomSampler(params, 3);
    for (long i = 0; i < 100; i++) {
      final Map<String, Object> x = random.sample(i);
      drawn.add(x.get("c1"));
      assertThat(countingOnes.lossNoiseFree(x, 9, 729)).isBetween(-8.0, 0.0);
    }

    assertThat(grid.size()).hasValue(16);
    assertThat(grid.sample(15)).containsValues(1L, 1L, 1L, 1L);
    assertThat(drawn).containsExactlyInAnyOrder(0L, 1L);
  }

  @Test
  void rejectsAnythingButZeroOrOneForABinaryParameter() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> countingOnes.lossNoiseFree(configuration(2, 0, 0, 0, 0, 0, 0, 0), 9, 729))
        .withMessageContaining("c1");
    assertThatIllegalArgumentException().isThrownBy(() -> new CountingOnes(0, 0));
  }

  private static Map<String, Object> configuration(
      final long c1, final long c2, final long c3, final long c4,
      final double x1, final double x2, final double x3, final double x4) {
    final Map<String, Object> x = new LinkedHashMap<>();
    x.put("c1", c1);
    x.put("c2", c2);
    x.put("c3", c3);
    x.put("c4", c4);
    x.put("x1", x1);
    x.put("x2", x2);
    x.put("x3", x3);
    x.put("x4", x4);
    return x;
  }
}
