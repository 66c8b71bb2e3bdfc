package io.kasha.benchmark;

import static io.kasha.benchmark.Configurations.rng;
import static io.kasha.benchmark.Configurations.xs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.kasha.schemas.ParamSpec;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BraninTest {

  private final Branin branin = new Branin();

  @Test
  void reachesThePublishedOptimumAtEachOfTheThreeMinima() {
    assertThat(branin.optimum()).isEqualTo(0.397887);
    assertThat(branin.lossNoiseFree(xs(Math.PI, 2.275), 81, 81)).isCloseTo(0.397887, within(1e-6));
    assertThat(branin.lossNoiseFree(xs(-Math.PI, 12.275), 81, 81)).isCloseTo(0.397887, within(1e-6));
    assertThat(branin.lossNoiseFree(xs(9.42478, 2.475), 81, 81)).isCloseTo(0.397887, within(1e-6));
  }

  @Test
  void regretIsZeroAtTheOptimumAndPositiveElsewhere() {
    assertThat(branin.regret(xs(Math.PI, 2.275), 81)).isBetween(0.0, 1e-6);
    assertThat(branin.regret(xs(0, 0), 81)).isCloseTo(55.2042256, within(1e-6));
  }

  @Test
  void fullFidelityIsTheClassicBraninFunction() {
    for (final double[] x : new double[][] {{-5, 0}, {10, 15}, {0, 0}, {1, 2}, {7.5, 11}}) {
      assertThat(branin.lossNoiseFree(xs(x), 81, 81)).isCloseTo(classicBranin(x[0], x[1]), within(1e-12));
      assertThat(branin.lossNoiseFree(xs(x), 5, 5)).isCloseTo(classicBranin(x[0], x[1]), within(1e-12));
    }
    assertThat(branin.lossNoiseFree(xs(-5, 0), 81, 81)).isCloseTo(308.12909601160663, within(1e-9));
  }

  @Test
  void lowerFidelityShiftsTheCoefficientsAsDragonflyDoes() {
    // b, c and t move by 0.01, 0.1 and 0.005 times (1 - z); values computed from the definition
    assertThat(branin.lossNoiseFree(xs(1, 2), 1, 3)).isCloseTo(21.917741524587107, within(1e-12));
    assertThat(branin.lossNoiseFree(xs(-5, 0), 1, 81)).isCloseTo(283.2010294649311, within(1e-12));
    assertThat(branin.lossNoiseFree(xs(Math.PI, 2.275), 1, 81)).isCloseTo(0.4925552678689922, within(1e-12));
  }

  @Test
  void costsAnHourAtFullFidelityAndAboutAFiftiethAtTheLowest() {
    assertThat(branin.cost(81, 81)).isCloseTo(3600, within(1e-9));
    assertThat(branin.cost(1, 81)).isCloseTo(3600 * (0.05 + 0.95 / 729), within(1e-9));
    assertThat(branin.cost(9, 81)).isCloseTo(3600 * (0.05 + 0.95 / 27), within(1e-9));
  }

  @Test
  void isNoiseFree() {
    final SplittableRandom rng = rng();
    final Map<String, Object> x = xs(2, 3);

    for (int i = 0; i < 100; i++) {
      assertThat(branin.loss(x, 27, 81, rng)).isEqualTo(branin.lossNoiseFree(x, 27, 81));
    }
  }

  @Test
  void searchSpaceIsTheClassicRectangle() {
    assertThat(branin.params()).extracting(ParamSpec::getName).containsExactly("x1", "x2");
    assertThat(branin.params()).extracting(ParamSpec::getLow).containsExactly(-5.0, 0.0);
    assertThat(branin.params()).extracting(ParamSpec::getHigh).containsExactly(10.0, 15.0);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> branin.lossNoiseFree(xs(-6, 0), 81, 81))
        .withMessageContaining("x1");
  }

  private static double classicBranin(final double x1, final double x2) {
    final double a = 1;
    final double b = 5.1 / (4 * Math.PI * Math.PI);
    final double c = 5 / Math.PI;
    final double r = 6;
    final double s = 10;
    final double t = 1 / (8 * Math.PI);
    return a * Math.pow(x2 - b * x1 * x1 + c * x1 - r, 2) + s * (1 - t) * Math.cos(x1) + s;
  }
}
