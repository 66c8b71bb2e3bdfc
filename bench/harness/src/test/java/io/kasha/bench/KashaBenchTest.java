package io.kasha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.cli.Kasha;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class KashaBenchTest {

  @Test
  void theBenchModulePlugsItsCommandIntoKasha() {
    final CommandLine bench = Kasha.commandLine().getSubcommands().get("bench");

    assertThat((Object) bench.getCommand()).isInstanceOf(BenchCommand.class);
    assertThat(bench.getSubcommands()).containsKeys("scheduler", "pipeline", "handoff", "sim", "report");
  }

  @Test
  void enumValuesAreReadInTheLowerCaseTheHelpShows() {
    final ParseResult parsed = Kasha.commandLine().parseArgs("bench", "report", "--only", "sim,pipeline");

    assertThat(parsed.subcommand().subcommand().matchedOption("--only").<java.util.Set<?>>getValue())
        .extracting(Object::toString).containsExactlyInAnyOrder("SIM", "PIPELINE");
  }
}
