package io.kasha.study;

import java.util.List;

/**
 * A sequence of choices that a generator reads one at a time to build a value: jqwik generates and
 * shrinks the list of numbers, and every reading of it is a plain decision ({@link #below}, {@link
 * #percent}). A list that runs out reads as zeros, and zero is always the simplest choice (the first
 * option, the smallest number, "no"), so a shrunk list decodes to the simplest value that still fails.
 */
final class Genes {

  private final List<Integer> values;
  private int next;

  Genes(final List<Integer> values) {
    this.values = values;
  }

  /** A number from 0 to {@code n - 1}; 0 once the genes run out. */
  int below(final int n) {
    final int value = next < values.size() ? values.get(next++) : 0;
    return n <= 1 ? 0 : Math.floorMod(value, n);
  }

  /** A number from {@code low} to {@code high}, both included; {@code low} once the genes run out. */
  int between(final int low, final int high) {
    return low + below(high - low + 1);
  }

  /** True with about {@code percent} per cent; false once the genes run out. */
  boolean percent(final int percent) {
    return below(100) >= 100 - percent;
  }

  /** One of the options; the first once the genes run out. */
  @SafeVarargs
  final <T> T of(final T... options) {
    return options[below(options.length)];
  }

  /** A number in [0, 1]; 0 once the genes run out. */
  double unit() {
    return below(1_000_001) / 1e6;
  }
}
