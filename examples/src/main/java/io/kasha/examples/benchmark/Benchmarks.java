package io.kasha.examples.benchmark;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.examples.mlp.MlpBenchmark;
import io.kasha.examples.mlp.MlpObjective;
import java.util.ArrayList;
import java.util.List;

/**
 * Every benchmark function by name: those of {@link BenchmarkFunctions} and the quickstart network,
 * {@value MlpBenchmark#NAME} ({@link MlpBenchmark}), which lives here because the scheduler's module
 * cannot see the examples. With each, the entrypoint and metric a real study of it uses.
 */
public final class Benchmarks {

  private static final MlpBenchmark MLP = new MlpBenchmark();

  private Benchmarks() {}

  /**
   * @throws IllegalArgumentException naming the known functions, if {@code name} is none of them
   */
  public static BenchmarkFunction named(final String name) {
    if (MlpBenchmark.NAME.equals(name)) {
      return MLP;
    }
    if (!BenchmarkFunctions.names().contains(name)) {
      throw new IllegalArgumentException(
          "unknown benchmark function '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
    return BenchmarkFunctions.named(name);
  }

  /** The known names, in a fixed order: those of {@link BenchmarkFunctions}, then {@value MlpBenchmark#NAME}. */
  public static List<String> names() {
    final List<String> names = new ArrayList<>(BenchmarkFunctions.names());
    names.add(MlpBenchmark.NAME);
    return List.copyOf(names);
  }

  /** The entrypoint that evaluates the function: {@code bench-<name>}, or {@code quickstart-mlp} for the network. */
  public static String entrypoint(final String name) {
    named(name);
    return MlpBenchmark.NAME.equals(name) ? MlpObjective.NAME : BenchmarkObjective.entrypoint(name);
  }

  /** The metric that entrypoint reports the function's loss as: {@code loss}, or {@code val_loss} for the network. */
  public static String metric(final String name) {
    named(name);
    return MlpBenchmark.NAME.equals(name) ? MlpObjective.VAL_LOSS : BenchmarkObjective.METRIC;
  }
}
