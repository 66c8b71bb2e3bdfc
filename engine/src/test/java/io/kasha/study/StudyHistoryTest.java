package io.kasha.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.space.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyHistoryTest {

  private static Observation result(final long trial, final int rung, final double metric) {
    return new Observation(trial, Map.of("x", (double) trial), rung, metric);
  }

  @Test
  void resultsAddedInArrivalOrderReadAsTheStoresGiveThemByTrialThenRung() {
    final StudyHistory history = new StudyHistory();
    final List<Integer> reads = new ArrayList<>();
    assertThat(history.snapshot(() -> {
      reads.add(1);
      return List.of(result(0, 0, 0.5), result(2, 0, 0.4));
    }).results()).containsExactly(result(0, 0, 0.5), result(2, 0, 0.4));

    history.add(result(1, 0, 0.3));
    history.add(result(2, 1, 0.2));
    history.add(result(0, 1, 0.6));

    assertThat(history.snapshot(() -> {
      reads.add(2);
      return List.of();
    }).results()).containsExactly(result(0, 0, 0.5), result(0, 1, 0.6), result(1, 0, 0.3), result(2, 0, 0.4),
        result(2, 1, 0.2));
    assertThat(reads).containsExactly(1);
  }

  @Test
  void resultsBeforeTheFirstReadAreLeftToTheStores() {
    final StudyHistory history = new StudyHistory();
    history.add(result(0, 0, 0.9));

    assertThat(history.snapshot(() -> List.of(result(0, 0, 0.5))).results()).containsExactly(result(0, 0, 0.5));
  }
}
