package io.kasha.bench;

import io.kasha.bench.pipeline.HandoffBenchCommand;
import io.kasha.bench.pipeline.PipelineBenchCommand;
import io.kasha.bench.sim.SimBenchCommand;
import io.kasha.cli.PluggedCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kasha bench}: the benchmarks behind {@code docs/benchmarks.md}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure Kasha on this machine: the scheduler's cost per decision, the pipeline's throughput "
        + "and latency, the share-group hand-off under it, and the tuning methods in virtual-time simulation.",
        "",
        "Each subcommand prints a table, or one JSON object with --json. Figures on a shared machine are noisy: "
            + "compare ratios measured in one run."},
    subcommands = {SchedulerBenchCommand.class, PipelineBenchCommand.class, HandoffBenchCommand.class, SimBenchCommand.class, ReportCommand.class,
        CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable, PluggedCommand {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
