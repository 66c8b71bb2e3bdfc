package io.kasha.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code kasha bench} in an installation without the benchmark module: says where it is. */
@Command(name = "bench", description = "Benchmarks (not part of this installation: see --help).",
    mixinStandardHelpOptions = true)
final class MissingBench implements Callable<Integer> {

  static final String MESSAGE = "kasha bench is not part of this installation: the benchmarks are the "
      + "bench/harness module (kasha-bench.jar). From a source checkout, run ./kasha bench, which builds it.";

  @Unmatched
  private List<String> ignored;

  @Override
  public Integer call() {
    Console.error(MESSAGE);
    return 2;
  }
}
