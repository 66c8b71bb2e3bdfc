package io.kasha.cli.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.cli.bench.BenchCommand;
import io.kasha.runner.TrialRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A short run of {@code kasha bench handoff} on its own embedded broker; checks what it reports, never how fast. */
class HandoffBenchIT {

  @Test
  void eachRecordsPerPollSettingGetsAWindowWithHandoffsLatencyAndCpuByPart() throws Exception {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CommandLine command = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err));

    final int exit = command.execute("handoff", "--consumers", "3", "--records-per-poll", "1,4", "--partitions", "2",
        "--warmup", "2", "--seconds", "3", "--json");

    assertThat(exit).as(err.toString()).isZero();
    final JsonNode runs = new ObjectMapper().readTree(out.toString()).get("runs");
    assertThat(runs).hasSize(2);
    assertThat(runs.findValues("recordsPerPoll")).extracting(JsonNode::asInt).containsExactly(1, 4);
    assertThat(runs.findValues("inFlight")).extracting(JsonNode::asInt).containsExactly(3, 12);
    assertThat(runs.findValues("pollMs")).extracting(JsonNode::asLong)
        .containsOnly(TrialRunner.SLOT_POLL_TIMEOUT.toMillis());
    for (final JsonNode run : runs) {
      assertThat(run.get("handoffsPerSecond").asDouble()).isPositive();
      assertThat(run.get("latencyP99Ms").asDouble()).isPositive()
          .isGreaterThanOrEqualTo(run.get("latencyP50Ms").asDouble());
      assertThat(run.get("coresByPart").get(HandoffBenchCommand.CONSUMERS).asDouble()).isPositive();
      assertThat(run.get("coresByPart").get(HandoffBenchCommand.BROKER).asDouble()).isPositive();
    }
    assertThat(err.toString()).contains("Share-group hand-off: 3 consumers, max.poll.records 4, 12 records in flight");
  }

  @Test
  void recordsWrittenInTransactionsAreHandedOffOnceCommitted() throws Exception {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CommandLine command = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err));

    final int exit = command.execute("handoff", "--consumers", "2", "--records-per-poll", "1", "--partitions", "1",
        "--transaction-ms", "100", "--poll-ms", "50", "--warmup", "2", "--seconds", "3", "--json");

    assertThat(exit).as(err.toString()).isZero();
    final JsonNode run = new ObjectMapper().readTree(out.toString()).get("runs").get(0);
    assertThat(run.get("transactionMs").asLong()).isEqualTo(100);
    assertThat(run.get("pollMs").asLong()).isEqualTo(50);
    // A record is delivered only once the transaction that wrote it commits, and each consumer writes one
    // record per delivery: a commit releases at most the 2 records in flight, so 30 commits in the 3 s window
    // (plus the records released just before it) cap the rate at 2 * (30 + 2) / 3 = 21.3 per second. Were
    // records delivered uncommitted, the same loop would hand off thousands per second. Latency is not checked:
    // it depends on where in the transaction's 100 ms a record was written.
    assertThat(run.get("handoffsPerSecond").asDouble()).isPositive().isLessThanOrEqualTo(2 * (30 + 2) / 3.0);
    assertThat(err.toString()).contains("a transaction committed every 100 ms, poll timeout 50 ms");
  }

  @Test
  void badSettingsAreRefusedByName() {
    final StringWriter err = new StringWriter();
    final int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
        .execute("handoff", "--consumers", "0", "--records-per-poll", "1,0", "--poll-ms", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--consumers must be at least 1, got 0")
        .contains("--records-per-poll must all be at least 1, got [1, 0]")
        .contains("--poll-ms must be at least 1, got 0");
  }
}
