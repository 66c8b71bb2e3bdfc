package io.kasha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KashaTest {

  @Test
  void withoutTheBenchModuleKashaBenchSaysWhereItIs() {
    final PrintStream err = System.err;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = Kasha.commandLine().execute("bench", "scheduler", "--trials", "1000");
    } finally {
      System.setErr(err);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("kasha bench is not part of this installation")
        .contains("./kasha bench");
  }

  @Test
  void schedulerHelpStatesEveryLimitWithItsDefault() {
    final java.io.StringWriter help = new java.io.StringWriter();
    Kasha.commandLine().getSubcommands().get("scheduler").usage(new java.io.PrintWriter(help));
    final String text = help.toString().replaceAll("\\s+", " ");
    io.kasha.spec.Limits.DEFAULTS.byName().forEach((name, value) -> assertThat(text).contains(name + "=" + value));
  }

  @Test
  void anUnknownOrMalformedLimitIsAUsageErrorNamingTheAllowedOnes() {
    final PrintStream err = System.err;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final int unknown;
    final int malformed;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      unknown = Kasha.commandLine().execute("scheduler", "-b", "localhost:1", "--limit", "paralelism=5");
      malformed = Kasha.commandLine().execute("scheduler", "-b", "localhost:1", "--limit", "batch=0");
    } finally {
      System.setErr(err);
    }
    assertThat(unknown).isEqualTo(2);
    assertThat(malformed).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("--limit: unknown limit 'paralelism' (allowed: parallelism, trials, params, choices, spec-bytes, "
            + "name-length, id-length, batch)")
        .contains("--limit: limit batch must be at least 1 (got 0)");
  }

  @Test
  void withoutTheBenchModuleKashaChaosSaysWhereItIs() {
    final PrintStream err = System.err;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = Kasha.commandLine().execute("chaos", "--short");
    } finally {
      System.setErr(err);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("kasha chaos is not part of this installation")
        .contains("./kasha chaos");
  }

  @Test
  void kashaBrokerIsACommandOfTheDeployedCommand() {
    assertThat((Object) Kasha.commandLine().getSubcommands().get("broker").getCommand())
        .isInstanceOf(BrokerCommand.class);
  }

  /** HdrHistogram is not on the list: the embedded broker's group coordinator needs it. */
  @Test
  void theDeployedCommandCarriesNoBenchmarkLibrary() {
    for (final String name : new String[] {"org.openjdk.jmh.Main", "org.jfree.chart.JFreeChart",
        "org.apache.kafka.streams.TopologyTestDriver", "io.kasha.sim.Simulation", "io.kasha.bench.BenchCommand"}) {
      assertThat(KashaTest.class.getClassLoader().getResource(name.replace('.', '/') + ".class"))
          .as(name).isNull();
    }
  }
}
