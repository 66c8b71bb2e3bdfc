package io.kasha.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * A command of the benchmark module ({@code kasha bench}, {@code kasha chaos}) in an installation without that
 * module: says where it is.
 */
@Command(mixinStandardHelpOptions = true)
final class MissingModule implements Callable<Integer> {

  /** A command the benchmark module plugs in, and what it is. */
  record Plugged(String name, String what) {}

  static final List<Plugged> COMMANDS = List.of(new Plugged("bench", "the benchmarks"),
      new Plugged("chaos", "the fault campaign"));

  private final String name;

  @Unmatched
  private List<String> ignored;

  private MissingModule(final String name) {
    this.name = name;
  }

  /** The stand-in for {@code plugged}. */
  static CommandLine commandLine(final Plugged plugged) {
    final CommandLine command = new CommandLine(new MissingModule(plugged.name()));
    command.getCommandSpec().usageMessage().description(capitalized(plugged.what())
        + " (not part of this installation: see --help).");
    return command;
  }

  static String message(final String name) {
    return "kasha " + name + " is not part of this installation: it comes with the benchmark module, bench/harness "
        + "(kasha-bench.jar). From a source checkout, run ./kasha " + name + ", which builds it.";
  }

  @Override
  public Integer call() {
    Console.error(message(name));
    return 2;
  }

  private static String capitalized(final String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
