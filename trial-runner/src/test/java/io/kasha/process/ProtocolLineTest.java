package io.kasha.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.entrypoint.Progress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolLineTest {

  @Test
  void parsesAReportLine() {
    assertThat(ProtocolLine.parse("kasha: {\"resource\": 3, \"metrics\": {\"val_loss\": 0.41, \"acc\": 0.9}}"))
        .hasValue(new Progress(3, Map.of("val_loss", 0.41, "acc", 0.9)));
  }

  @Test
  void acceptsNoSpaceAfterThePrefixAndAWindowsLineEnd() {
    assertThat(ProtocolLine.parse("kasha:{\"resource\":1,\"metrics\":{}}\r"))
        .hasValue(new Progress(1, Map.of()));
  }

  @Test
  void acceptsAnIntegralResourceWrittenAsADecimal() {
    assertThat(ProtocolLine.parse("kasha: {\"resource\": 4.0, \"metrics\": {\"loss\": 1}}"))
        .hasValue(new Progress(4, Map.of("loss", 1.0)));
  }

  @Test
  void acceptsNanAndInfinityAsPythonWritesThem() {
    final Progress progress = ProtocolLine.parse(
        "kasha: {\"resource\": 2, \"metrics\": {\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}}").orElseThrow();

    assertThat(progress.metrics().get("a")).isNaN();
    assertThat(progress.metrics().get("b")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(progress.metrics().get("c")).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "epoch 3 loss 0.41",
      "",
      " kasha: {\"resource\": 3, \"metrics\": {}}",
      "KASHA: {\"resource\": 3, \"metrics\": {}}",
      "progress kasha: {\"resource\": 3, \"metrics\": {}}"})
  void leavesOtherLinesAlone(final String line) {
    assertThat(ProtocolLine.parse(line)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "kasha:",
      "kasha: not json",
      "kasha: [1, 2]",
      "kasha: {\"metrics\": {}}",
      "kasha: {\"resource\": 3}",
      "kasha: {\"resource\": \"3\", \"metrics\": {}}",
      "kasha: {\"resource\": 2.5, \"metrics\": {}}",
      "kasha: {\"resource\": -1, \"metrics\": {}}",
      "kasha: {\"resource\": 99999999999999999999999, \"metrics\": {}}",
      "kasha: {\"resource\": 3, \"metrics\": [0.4]}",
      "kasha: {\"resource\": 3, \"metrics\": {\"loss\": \"low\"}}",
      "kasha: {\"resource\": 3, \"metrics\": {\"loss\": null}}",
      "kasha: {\"resource\": 3, \"metrics\": {}, \"extra\": 1}",
      "kasha: {\"resource\": 3, \"metrics\": {}} trailing"})
  void rejectsMalformedReports(final String line) {
    assertThatThrownBy(() -> ProtocolLine.parse(line)).isInstanceOf(MalformedProtocolLineException.class);
  }

  @Test
  void namesWhatIsWrongWithAMalformedReport() {
    assertThatThrownBy(() -> ProtocolLine.parse("kasha: {\"resource\": 3, \"metrics\": {\"loss\": \"low\"}}"))
        .hasMessageContaining("metric 'loss' must be a number");
  }
}
