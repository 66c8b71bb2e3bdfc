package io.kasha.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpeedupIntervalTest {

  @Test
  void seedsThatAllAgreeGiveAnIntervalOfOnePoint() {
    assertThat(SpeedupInterval.of(List.of(100.0, 100.0, 100.0), List.of(5.0, 5.0)))
        .containsExactly(new double[] {20.0, 20.0}, within(1e-9));
  }

  @Test
  void spreadSeedsGiveAnIntervalAroundTheRatioOfMeansThatTheSameDataAlwaysReproduces() {
    final List<Double> one = List.of(40_000.0, 60_000.0, 80_000.0, 120_000.0, 200_000.0);
    final List<Double> many = List.of(3_000.0, 4_000.0, 5_000.0, 6_000.0, 7_000.0);

    final double[] interval = SpeedupInterval.of(one, many);

    final double ratio = (500_000.0 / 5) / (25_000.0 / 5);
    assertThat(interval[0]).isLessThan(ratio);
    assertThat(interval[1]).isGreaterThan(ratio);
    assertThat(SpeedupInterval.of(one, many)).containsExactly(interval);
  }

  @Test
  void noTimesGiveNoInterval() {
    assertThat(SpeedupInterval.of(List.of(), List.of(1.0))).containsOnly(Double.NaN);
  }
}
