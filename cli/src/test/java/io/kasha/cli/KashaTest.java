package io.kasha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class KashaTest {

  @Test
  void enumValuesAreReadInTheLowerCaseTheHelpShows() {
    final ParseResult parsed = Kasha.commandLine().parseArgs("bench", "report", "--only", "sim,pipeline");

    assertThat(parsed.subcommand().subcommand().matchedOption("--only").<java.util.Set<?>>getValue())
        .extracting(Object::toString).containsExactlyInAnyOrder("SIM", "PIPELINE");
  }
}
