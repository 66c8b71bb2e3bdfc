package io.kasha.benchmark;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The benchmark functions by name, each with its published settings: {@code hartmann3} and
 * {@code hartmann6} with their noise, {@code counting-ones} with 4 binary and 4 continuous parameters,
 * {@code branin} and {@code height}.
 */
public final class BenchmarkFunctions {

  private static final List<BenchmarkFunction> FUNCTIONS =
      List.of(Hartmann.hartmann3(), Hartmann.hartmann6(), new CountingOnes(), new Branin(), new Height());

  private BenchmarkFunctions() {}

  /**
   * @throws IllegalArgumentException naming the known functions, if {@code name} is none of them
   */
  public static BenchmarkFunction named(final String name) {
    return FUNCTIONS.stream()
        .filter(function -> function.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown benchmark function '" + name + "' (known: " + String.join(", ", names()) + ")"));
  }

  /** The known names, in a fixed order. */
  public static List<String> names() {
    return FUNCTIONS.stream().map(BenchmarkFunction::name).collect(Collectors.toUnmodifiableList());
  }
}
