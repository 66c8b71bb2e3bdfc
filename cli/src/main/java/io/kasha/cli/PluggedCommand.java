package io.kasha.cli;

/**
 * A subcommand that another module plugs into {@code kasha}: a picocli {@code @Command} class registered in
 * {@code META-INF/services/io.kasha.cli.PluggedCommand}. {@code kasha bench} comes this way from the benchmark
 * module, so the command users deploy carries none of the benchmarks' dependencies.
 */
public interface PluggedCommand {
}
