package io.kasha.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.bench.BenchCommand;
import io.kasha.runner.TrialRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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
    // how many hand-offs the window saw, and how fast, depends on the machine: only the form is checked
    for (final JsonNode run : runs) {
      assertThat(run.get("handoffs").canConvertToLong()).as("hand-offs counted").isTrue();
      assertThat(run.get("handoffs").asLong()).isNotNegative();
      assertThat(run.get("commits").isNull()).as("no transactions, no commits").isTrue();
      for (final String figure : List.of("handoffsPerSecond", "latencyP50Ms", "latencyP99Ms", "processCores")) {
        assertThat(run.get(figure).isNumber()).as(figure).isTrue();
        assertThat(run.get(figure).asDouble()).as(figure).isNotNegative();
      }
      assertThat(run.get("latencyP99Ms").asDouble()).isGreaterThanOrEqualTo(run.get("latencyP50Ms").asDouble());
      assertThat(fieldNames(run.get("coresByPart"))).containsExactly(HandoffBenchCommand.CONSUMERS,
          HandoffBenchCommand.PRODUCER, HandoffBenchCommand.BROKER, HandoffBenchCommand.BENCHMARK, "jvm");
      run.get("coresByPart").forEach(cores -> assertThat(cores.asDouble()).isNotNegative());
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

    // the command fails unless a committed record is handed off within its start timeout
    assertThat(exit).as(err.toString()).isZero();
    final JsonNode run = new ObjectMapper().readTree(out.toString()).get("runs").get(0);
    assertThat(run.get("transactionMs").asLong()).isEqualTo(100);
    assertThat(run.get("pollMs").asLong()).isEqualTo(50);
    // A record is delivered only once the transaction that wrote it commits, and each consumer writes one
    // record per delivery: a commit releases at most the 2 records in flight, and at most 2 x 2 were sent
    // but not yet counted when the window opened (1 record per poll, 2 consumers). So however many commits
    // the window saw, which depends on the machine, the hand-offs it counted are at most 2 per commit plus 4.
    // Were records delivered uncommitted, the same loop would hand off thousands per commit.
    final long inFlight = run.get("inFlight").asLong();
    assertThat(inFlight).isEqualTo(2);
    assertThat(run.get("commits").canConvertToLong()).as("commits counted").isTrue();
    assertThat(run.get("handoffs").asLong()).isNotNegative()
        .isLessThanOrEqualTo(inFlight * (run.get("commits").asLong() + 2));
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

  private static List<String> fieldNames(final JsonNode object) {
    final List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
