package io.kasha.examples.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a benchmark trial stands, saved as {@value #FILE_NAME} in a checkpoint directory: one line with
 * the function's name, the resource reached and the function's state there, if it has any. Closed-form
 * functions (Hartmann, Branin, height) have none: their loss depends only on the parameters and the
 * resource. Counting-ones keeps the number of ones drawn so far for each continuous parameter, so that a
 * promoted trial goes on drawing instead of starting again.
 *
 * @param function the function's name, for example {@code hartmann6}
 * @param resource the resource reached, 0 before the first step
 * @param ones the counts of ones drawn, one per continuous parameter; empty for closed-form functions
 */
record BenchmarkCheckpoint(String function, long resource, List<Long> ones) {

  static final String FILE_NAME = "benchmark.txt";

  BenchmarkCheckpoint {
    ones = List.copyOf(ones);
  }

  /** The point before the first step of a trial. */
  static BenchmarkCheckpoint start(final String function, final int counts) {
    return new BenchmarkCheckpoint(function, 0, Collections.nCopies(counts, 0L));
  }

  long[] onesArray() {
    return ones.stream().mapToLong(Long::longValue).toArray();
  }

  void writeTo(final Path directory) throws IOException {
    Files.createDirectories(directory);
    final StringBuilder line = new StringBuilder(function).append(' ').append(resource);
    for (final long count : ones) {
      line.append(' ').append(count);
    }
    Files.writeString(directory.resolve(FILE_NAME), line.append('\n').toString(), StandardCharsets.UTF_8);
  }

  /**
   * @throws IOException if the file is missing, malformed, written by another function, or holds another
   *     number of counts than {@code expectedCounts}
   */
  static BenchmarkCheckpoint readFrom(final Path directory, final String expectedFunction, final int expectedCounts)
      throws IOException {
    final Path file = directory.resolve(FILE_NAME);
    final String[] fields = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
    if (fields.length != 2 + expectedCounts || !fields[0].equals(expectedFunction)) {
      throw new IOException(file + " is not a " + expectedFunction + " checkpoint");
    }
    try {
      final List<Long> ones = new ArrayList<>();
      for (int i = 2; i < fields.length; i++) {
        ones.add(Long.parseLong(fields[i]));
      }
      return new BenchmarkCheckpoint(fields[0], Long.parseLong(fields[1]), ones);
    } catch (NumberFormatException e) {
      throw new IOException(file + " is not a " + expectedFunction + " checkpoint", e);
    }
  }
}
