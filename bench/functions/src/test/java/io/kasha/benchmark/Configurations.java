package io.kasha.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Configurations and sample statistics for the benchmark tests. */
final class Configurations {

  private Configurations() {}

  /** {@code {x1: values[0], x2: values[1], ..}}. */
  static Map<String, Object> xs(final double... values) {
    final Map<String, Object> x = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      x.put("x" + (i + 1), values[i]);
    }
    return x;
  }

  static Map<String, Object> with(final Map<String, Object> x, final String name, final Object value) {
    final Map<String, Object> copy = new LinkedHashMap<>(x);
    copy.put(name, value);
    return copy;
  }

  static SplittableRandom rng() {
    return new SplittableRandom(20_260_001L);
  }

  /** Mean and unbiased variance of {@code n} draws. */
  record Sample(double mean, double variance) {

    static Sample of(final int n, final DoubleSupplier draw) {
      final double[] values = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        values[i] = draw.getAsDouble();
        sum += values[i];
      }
      final double mean = sum / n;
      double squares = 0;
      for (final double value : values) {
        squares += (value - mean) * (value - mean);
      }
      return new Sample(mean, squares / (n - 1));
    }
  }
}
