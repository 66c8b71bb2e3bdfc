package io.kasha.benchmark;

import static io.kasha.benchmark.Configurations.rng;
import static io.kasha.benchmark.Configurations.with;
import static io.kasha.benchmark.Configurations.xs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.kasha.benchmark.Configurations.Sample;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HartmannTest {

  private static final Map<String, Object> H3_ARGMIN = xs(0.114614, 0.555649, 0.852547);
  private static final Map<String, Object> H6_ARGMIN =
      xs(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573);

  private final Hartmann h3 = Hartmann.hartmann3().deterministic();
  private final Hartmann h6 = Hartmann.hartmann6().deterministic();

  @Test
  void reachesThePublishedOptimaAtTheirArgmins() {
    assertThat(h3.optimum()).isEqualTo(-3.86278);
    assertThat(h6.optimum()).isEqualTo(-3.32237);
    assertThat(h3.lossNoiseFree(H3_ARGMIN, 81, 81)).isCloseTo(-3.86278, within(1e-5));
    assertThat(h6.lossNoiseFree(H6_ARGMIN, 81, 81)).isCloseTo(-3.32237, within(1e-5));
  }

  @Test
  void regretIsZeroAtTheOptimumAndPositiveElsewhere() {
    assertThat(h3.regret(H3_ARGMIN, 81)).isBetween(0.0, 1e-5);
    assertThat(h6.regret(H6_ARGMIN, 81)).isBetween(0.0, 1e-5);
    assertThat(h6.regret(xs(0.5, 0.5, 0.5, 0.5, 0.5, 0.5), 81)).isGreaterThan(0.1);
    assertThat(h6.regret(xs(0.2, 0.15, 0.48, 0.28, 0.31, 0.66), 81)).isBetween(1e-5, 0.01);
  }

  @Test
  void knownValuesOfTheClassicFunction() {
    // the centre of the cube and a corner, computed from the definition with numpy
    assertThat(h3.lossNoiseFree(xs(0.5, 0.5, 0.5), 1, 1)).isCloseTo(-0.6280220150705937, within(1e-12));
    assertThat(h6.lossNoiseFree(xs(0, 0, 0, 0, 0, 0), 1, 1)).isCloseTo(-0.00508911288366444, within(1e-12));
  }

  @Test
  void lowerFidelityLowersEveryWeightByTheSameBias() {
    // given the published formula: alpha_i - 0.1 (1 - z), here at z = 1/2 and z = 1/81
    final double atHalf = h3.lossNoiseFree(H3_ARGMIN, 1, 2);
    final double atLowest = h6.lossNoiseFree(H6_ARGMIN, 1, 81);

    assertThat(atHalf).isCloseTo(-3.7841204398877952, within(1e-12));
    assertThat(atLowest).isCloseTo(-3.185557364168601, within(1e-12));
  }

  @Test
  void lossGrowsTowardsTheFullFidelityValueLinearlyInZ() {
    final Map<String, Object> x = xs(0.3, 0.6, 0.9);
    final double full = h3.lossNoiseFree(x, 81, 81);
    final double third = h3.lossNoiseFree(x, 27, 81);
    final double twoThirds = h3.lossNoiseFree(x, 54, 81);

    assertThat(third).isGreaterThan(twoThirds).isGreaterThan(full);
    assertThat(third - twoThirds).isCloseTo(twoThirds - full, within(1e-12));
  }

  @Test
  void costsAnHourAtFullFidelityAndTheFixedShareAtTheLowest() {
    assertThat(h3.cost(81, 81)).isCloseTo(3600, within(1e-9));
    assertThat(h6.cost(81, 81)).isCloseTo(3600, within(1e-9));
    // z = 1/81: 3600 (0.1 + 0.9 m(z)), m = (z + z^2 + z^3) / 3 and (2z + z^2 + z^3) / 4
    final double z = 1.0 / 81;
    assertThat(h3.cost(1, 81)).isCloseTo(3600 * (0.1 + 0.9 * (z + z * z + z * z * z) / 3), within(1e-9));
    assertThat(h6.cost(1, 81)).isCloseTo(3600 * (0.1 + 0.9 * (2 * z + z * z + z * z * z) / 4), within(1e-9));
    assertThat(h3.cost(1, 81)).isCloseTo(373.5, within(0.01));
    assertThat(h6.cost(1, 81)).isCloseTo(380.125, within(0.01));
    assertThat(h3.cost(1, 2)).isCloseTo(3600 * (0.1 + 0.9 * 0.875 / 3), within(1e-9));
  }

  @Test
  void deterministicVariantIsNoiseFree() {
    final SplittableRandom rng = rng();

    for (int i = 0; i < 100; i++) {
      assertThat(h6.loss(H6_ARGMIN, 9, 81, rng)).isEqualTo(h6.lossNoiseFree(H6_ARGMIN, 9, 81));
    }
    assertThat(h6.noiseVariance()).isZero();
    assertThat(h6.name()).isEqualTo("hartmann6");
  }

  @Test
  void noisyVariantsHaveThePublishedVarianceAroundTheNoiseFreeLoss() {
    final Hartmann noisy3 = Hartmann.hartmann3();
    final Hartmann noisy6 = Hartmann.hartmann6();
    final Map<String, Object> x6 = xs(0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
    final SplittableRandom rng = rng();

    final Sample sample3 = Sample.of(100_000, () -> noisy3.loss(H3_ARGMIN, 27, 81, rng));
    final Sample sample6 = Sample.of(100_000, () -> noisy6.loss(x6, 3, 81, rng));

    assertThat(sample3.variance()).isCloseTo(0.01, within(0.0003));
    assertThat(sample6.variance()).isCloseTo(0.05, within(0.0015));
    assertThat(sample3.mean()).isCloseTo(noisy3.lossNoiseFree(H3_ARGMIN, 27, 81), within(0.002));
    assertThat(sample6.mean()).isCloseTo(noisy6.lossNoiseFree(x6, 3, 81), within(0.004));
    assertThat(noisy3.noiseVariance()).isEqualTo(0.01);
    assertThat(noisy6.noiseVariance()).isEqualTo(0.05);
  }

  @Test
  void searchSpaceIsTheUnitCube() {
    assertThat(h3.params()).extracting(ParamSpec::getName).containsExactly("x1", "x2", "x3");
    assertThat(h6.params()).hasSize(6).allSatisfy(param -> {
      assertThat(param.getType()).isEqualTo(ParamType.FLOAT);
      assertThat(param.getLow()).isEqualTo(0.0);
      assertThat(param.getHigh()).isEqualTo(1.0);
    });
    assertThat(h6.defaultMinResource()).isEqualTo(1);
    assertThat(h6.defaultMaxResource()).isEqualTo(81);
  }

  @Test
  void rejectsConfigurationsOutsideTheCubeAndResourcesOutsideTheRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> h3.lossNoiseFree(with(H3_ARGMIN, "x2", 1.5), 81, 81))
        .withMessageContaining("x2");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> h3.lossNoiseFree(xs(0.1, 0.2), 81, 81))
        .withMessageContaining("x3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> h3.lossNoiseFree(with(H3_ARGMIN, "x1", "0.1"), 81, 81))
        .withMessageContaining("x1");
    assertThatIllegalArgumentException().isThrownBy(() -> h3.lossNoiseFree(H3_ARGMIN, 0, 81));
    assertThatIllegalArgumentException().isThrownBy(() -> h3.cost(82, 81));
  }

  @Test
  void extraEntriesOfTheConfigurationAreIgnored() {
    assertThat(h3.lossNoiseFree(with(H3_ARGMIN, "time_scale", 0.5), 81, 81))
        .isEqualTo(h3.lossNoiseFree(H3_ARGMIN, 81, 81));
  }
}
