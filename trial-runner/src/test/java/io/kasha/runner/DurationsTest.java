package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "30s, 30000", "10m, 600000", "2h, 7200000", "1d, 86400000", "PT30M, 1800000",
      "pt1h, 3600000", "' 15s ', 15000", "'5 s', 5000"})
  void parsesShortAndIsoForms(final String text, final long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "s", "1.5h", "10 minutes", "-5s", "P", "PT-1S", "0s", ""})
  void refusesAnythingElse(final String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
