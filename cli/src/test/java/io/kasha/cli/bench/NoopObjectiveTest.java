package io.kasha.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class NoopObjectiveTest {

  @Test
  void noMeanMeansNoSleep() {
    assertThat(NoopObjective.jobMillis("t1", 3, 0)).isZero();
  }

  @Test
  void jobTimesAreFixedByTheJobAndSpreadOverZeroToTwiceTheMean() {
    assertThat(NoopObjective.jobMillis("study-t7", 9, 40)).isEqualTo(NoopObjective.jobMillis("study-t7", 9, 40));
    final long[] times = IntStream.range(0, 2_000)
        .mapToLong(i -> NoopObjective.jobMillis("study-t" + i, 1 + i % 3, 40)).toArray();
    assertThat(LongStream.of(times).boxed()).allMatch(t -> t >= 0 && t <= 80);
    // uniform on 0..80: a mean near 40, and both ends of the range reached
    assertThat(LongStream.of(times).average().orElseThrow()).isBetween(37.0, 43.0);
    assertThat(LongStream.of(times).min().orElseThrow()).isLessThan(5);
    assertThat(LongStream.of(times).max().orElseThrow()).isGreaterThan(75);
  }

  @Test
  void aNegativeMeanIsRefused() {
    assertThatThrownBy(() -> new NoopObjective(-1)).hasMessageContaining("meanJobMillis must not be negative, got -1");
  }
}
