package io.kasha.examples.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.examples.mlp.MlpBenchmark;
import io.kasha.objective.Objective;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BenchmarksTest {

  @Test
  void knowsTheSchedulersFunctionsAndTheQuickstartNetwork() {
    assertThat(Benchmarks.names())
        .containsExactly("hartmann3", "hartmann6", "counting-ones", "branin", "height", "mlp");
    assertThat(Benchmarks.named("mlp")).isInstanceOf(MlpBenchmark.class);
    assertThat(Benchmarks.named("branin")).isSameAs(BenchmarkFunctions.named("branin"));
    assertThatIllegalArgumentException().isThrownBy(() -> Benchmarks.named("rosenbrock"))
        .withMessageContaining("mlp");
  }

  @Test
  void everyFunctionHasARegisteredEntrypointThatReportsItsLoss() {
    final List<String> registered =
        ServiceLoader.load(Objective.class).stream().map(provider -> provider.get().name()).toList();

    assertThat(Benchmarks.names().stream().map(Benchmarks::entrypoint).toList()).isSubsetOf(registered);
    assertThat(Benchmarks.entrypoint("hartmann6")).isEqualTo("bench-hartmann6");
    assertThat(Benchmarks.entrypoint("mlp")).isEqualTo("quickstart-mlp");
    assertThat(Benchmarks.metric("height")).isEqualTo("loss");
    assertThat(Benchmarks.metric("mlp")).isEqualTo("val_loss");
  }
}
