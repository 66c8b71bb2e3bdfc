package io.kasha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void writesThePageAgainFromTheKeptJsonWithTheCommandThatMeasuredIt() throws Exception {
    // given a kept result of the pipeline benchmark only
    Files.createDirectories(dir.resolve("benchmarks"));
    Files.writeString(dir.resolve("benchmarks/pipeline.json"), """
        {"command": "kasha bench pipeline --seconds 30 --warmup 10",
         "result": {"reportsPerSecond": 1234.0, "reportToJobP50Ms": 12.0, "reportToJobP99Ms": 80.0}}
        """);
    // when
    final int exit = new CommandLine(new ReportCommand()).execute("--dir", dir.toString(), "--from-json");
    // then
    assertThat(exit).isZero();
    assertThat(Files.readString(dir.resolve("benchmarks.md")))
        .contains("Command: `kasha bench pipeline --seconds 30 --warmup 10`")
        .contains("| 1,234 | 12.0 | 80.0 |")
        .contains("**Target missed**: reports per second = 1,234")
        .contains("Target met: report-to-job p99 (ms) = 80.0")
        .doesNotContain("## Scheduler").doesNotContain("## Simulation");
  }

  @Test
  void failsWhenThereIsNothingToWrite() {
    final int exit = new CommandLine(new ReportCommand()).execute("--dir", dir.toString(), "--from-json");
    assertThat(exit).isEqualTo(1);
    assertThat(dir.resolve("benchmarks.md")).doesNotExist();
  }

  @Test
  void rejectsAnUnknownBenchmarkNamingTheAllowedOnes() {
    final CommandLine cli = new CommandLine(new ReportCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    final java.io.StringWriter err = new java.io.StringWriter();
    cli.setErr(new java.io.PrintWriter(err));
    final int exit = cli.execute("--only", "latency");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("latency").contains("SCHEDULER, PIPELINE, PIPELINE_LATENCY, HANDOFF, SIM");
  }
}
