package io.kasha.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import io.kasha.examples.RecordingContext;
import io.kasha.schemas.ParamSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpBenchmarkTest {

  private static final Map<String, Object> GOOD =
      Map.of("learning_rate", 0.1, "momentum", 0.9, "weight_decay", 0.0001);

  @TempDir Path dir;

  private final MlpBenchmark mlp = new MlpBenchmark();

  @Test
  void lossIsTheValidationLossTheQuickstartObjectiveReports() throws Exception {
    final Map<String, Object> x = Map.of("learning_rate", 0.01, "momentum", 0.95, "weight_decay", 0.001);
    final RecordingContext run = RecordingContext.fresh(x, 5, dir.resolve("out"));

    new MlpObjective().run(run);

    final List<Double> losses = new ArrayList<>();
    for (long r = 1; r <= 5; r++) {
      losses.add(mlp.lossNoiseFree(x, r, 27));
    }
    assertThat(losses).containsExactlyElementsOf(run.reports().stream().map(r -> r.metric("val_loss")).toList());
    assertThat(mlp.loss(x, 5, 27, new SplittableRandom(1))).isEqualTo(losses.get(4));
    assertThat(mlp.lossNoiseFree(x, 5, 81)).as("independent of the maximum resource").isEqualTo(losses.get(4));
  }

  @Test
  void optimumIsTheBestOfTheQuickstartGridAfter27Epochs() {
    double best = Double.POSITIVE_INFINITY;
    Map<String, Object> argmin = Map.of();
    for (final double learningRate : new double[] {0.1, 0.01, 0.001}) {
      for (final double momentum : new double[] {0.85, 0.9, 0.95}) {
        for (final double weightDecay : new double[] {0.01, 0.001, 0.0001}) {
          final Map<String, Object> x =
              Map.of("learning_rate", learningRate, "momentum", momentum, "weight_decay", weightDecay);
          final double loss = mlp.lossNoiseFree(x, 27, 27);
          if (loss < best) {
            best = loss;
            argmin = x;
          }
        }
      }
    }

    assertThat(mlp.optimum()).isCloseTo(best, within(1e-9));
    assertThat(argmin).isEqualTo(GOOD);
    assertThat(mlp.regret(GOOD, 27)).isCloseTo(0.0, within(1e-9));
    assertThat(mlp.lossNoiseFree(GOOD, 1, 27)).isGreaterThan(mlp.lossNoiseFree(GOOD, 27, 27));
  }

  @Test
  void costsADeclaredMinuteAnEpoch() {
    assertThat(mlp.cost(1, 27)).isEqualTo(60.0);
    assertThat(mlp.cost(27, 27) - mlp.cost(9, 27)).isEqualTo(18 * 60.0);
    assertThat(mlp.defaultMinResource()).isEqualTo(1);
    assertThat(mlp.defaultMaxResource()).isEqualTo(27);
    assertThatIllegalArgumentException().isThrownBy(() -> mlp.cost(28, 27));
  }

  @Test
  void searchesTheQuickstartRangesAndRefusesPointsOutsideThem() {
    assertThat(mlp.params()).extracting(ParamSpec::getName)
        .containsExactly("learning_rate", "momentum", "weight_decay");
    assertThat(mlp.params()).extracting(ParamSpec::getLog).containsExactly(true, false, true);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> mlp.lossNoiseFree(Map.of("learning_rate", 0.5, "momentum", 0.9, "weight_decay", 0.001), 1, 27))
        .withMessageContaining("learning_rate");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> mlp.lossNoiseFree(Map.of("learning_rate", 0.01, "momentum", 0.9), 1, 27))
        .withMessageContaining("weight_decay");
    assertThatIllegalArgumentException().isThrownBy(() -> mlp.lossNoiseFree(GOOD, 28, 27));
  }
}
