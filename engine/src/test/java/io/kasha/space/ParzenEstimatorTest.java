package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {

  @Test
  void isADensityOnTheUnitInterval() {
    final ParzenEstimator estimator = new ParzenEstimator(new double[] {0.1, 0.15, 0.8});
    double integral = 0;
    final int steps = 100_000;
    for (int i = 0; i < steps; i++) {
      integral += Math.exp(estimator.logDensity((i + 0.5) / steps)) / steps;
    }
    assertThat(integral).isCloseTo(1.0, within(1e-3));
  }

  @Test
  void samplesStayInsideAndGatherAroundTheObservations() {
    final ParzenEstimator estimator = new ParzenEstimator(new double[] {0.2, 0.21, 0.22, 0.23});
    final SplittableRandom random = new SplittableRandom(1);
    int near = 0;
    for (int i = 0; i < 1000; i++) {
      final double x = estimator.sample(random);
      assertThat(x).isBetween(0.0, 1.0).isLessThan(1.0);
      near += Math.abs(x - 0.215) < 0.1 ? 1 : 0;
    }
    // wide kernels (each as wide as its largest gap), yet far more than the uniform 20% lands there
    assertThat(near).isGreaterThan(300);
    assertThat(estimator.logDensity(0.215)).isGreaterThan(estimator.logDensity(0.9));
  }

  @Test
  void withNoObservationsIsThePriorAlone() {
    final ParzenEstimator prior = new ParzenEstimator(new double[0]);
    assertThat(prior.logDensity(0.5)).isGreaterThan(prior.logDensity(0.0));
    assertThat(prior.logDensity(0.3)).isCloseTo(prior.logDensity(0.7), within(1e-12));
  }
}
