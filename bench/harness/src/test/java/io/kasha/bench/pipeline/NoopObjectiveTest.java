package io.kasha.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Progress;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.runner.EntrypointRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoopObjectiveTest {

  @TempDir
  Path checkpoint;

  @Test
  void isRegisteredAsNoopAndReportsItsTargetResourceAtOnceWithADeterministicLoss() throws Exception {
    final var entrypoint = EntrypointRegistry.discover().find("noop").orElseThrow();
    final List<Progress> reports = new ArrayList<>();

    final SegmentOutcome first = entrypoint.run(segment(0.5, 3, 9), reports::add, new Cancellation());
    final SegmentOutcome again = entrypoint.run(segment(0.5, 3, 9), progress -> { }, new Cancellation());

    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).resource()).isEqualTo(9);
    assertThat(first).isEqualTo(new SegmentOutcome.Completed(9, Map.of("loss", (0.5 - 0.3) * (0.5 - 0.3) + 1.0 / 9)));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void withoutAMeanJobTimeNoJobSleeps() {
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

  private Segment segment(final double x, final long from, final long to) {
    return new Segment("s", "s-t1", "s-t1-r1-a1", Map.of("x", x), "loss", "epoch", from, to, Optional.empty(),
        checkpoint);
  }
}
