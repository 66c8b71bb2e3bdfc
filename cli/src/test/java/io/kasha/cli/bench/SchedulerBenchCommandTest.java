package io.kasha.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark's output and the ASHA state it leaves; never its timings. */
class SchedulerBenchCommandTest {

  private static final int ETA = 3;

  @Test
  void printsOneJsonObjectWithEverySizeAndTheRatio() throws Exception {
    // when
    final String out = run("--trials", "1000,2000", "--json", "--warm-up-trials", "0", "--seed", "7");
    // then
    final JsonNode json = new ObjectMapper().readTree(out);
    assertThat(json.get("sizes")).hasSize(2);
    assertThat(json.get("sizes").get(0).get("trials").asLong()).isEqualTo(1000);
    assertThat(json.get("sizes").get(1).get("trials").asLong()).isEqualTo(2000);
    for (final JsonNode size : json.get("sizes")) {
      assertThat(size.get("costPerReportMicros").asDouble()).isPositive();
      assertThat(size.get("heapMb").asDouble()).isPositive();
      assertThat(size.get("wallPerReportMicros").asDouble()).isPositive();
    }
    final JsonNode cost = json.get("targets").get("costRatio");
    assertThat(cost.get("description").asText()).isEqualTo("cost per report at 2000 trials / at 1000 trials");
    assertThat(cost.get("measured").asDouble()).isCloseTo(
        json.get("sizes").get(1).get("costPerReportMicros").asDouble()
            / json.get("sizes").get(0).get("costPerReportMicros").asDouble(), within(0.05));
    assertThat(cost.get("limit").asDouble()).isEqualTo(1.5);
    assertThat(cost.get("met").asBoolean()).isEqualTo(cost.get("measured").asDouble() <= 1.5);
    final JsonNode heap = json.get("targets").get("heapMb");
    assertThat(heap.get("measured").asDouble()).isEqualTo(json.get("sizes").get(1).get("heapMb").asDouble());
    assertThat(heap.get("limit").asDouble()).isEqualTo(256);
    assertThat(heap.get("unit").asText()).isEqualTo("MB");
    assertThat(heap.get("marginPercent").asDouble())
        .isCloseTo((256 - heap.get("measured").asDouble()) / 256 * 100, within(0.01));
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(json.get("machine").get("jvm").asText()).isNotBlank();
    assertThat(json.get("machine").get("kafka").asText()).isNotBlank();
  }

  @Test
  void everyStudyEndsWithTheAshaInvariants() throws Exception {
    // when
    final JsonNode sizes = new ObjectMapper()
        .readTree(run("--trials", "1000,5000", "--json", "--warm-up-trials", "0", "--eta", "3"))
        .get("sizes");
    // then rung 0 holds every trial, and each rung k + 1 holds at least floor(n_k / eta) results
    for (final JsonNode size : sizes) {
      final JsonNode results = size.get("rungResults");
      final JsonNode promoted = size.get("rungPromoted");
      assertThat(results).hasSize(5);
      assertThat(results.get(0).asLong()).isEqualTo(size.get("trials").asLong());
      for (int rung = 0; rung + 1 < results.size(); rung++) {
        assertThat(results.get(rung + 1).asLong()).as("results in rung %d", rung + 1)
            .isGreaterThanOrEqualTo(results.get(rung).asLong() / ETA)
            .isEqualTo(promoted.get(rung).asLong());
      }
      assertThat(promoted.get(results.size() - 1).asLong()).isZero();
      assertThat(size.get("reports").asLong()).isEqualTo(sum(results));
    }
  }

  @Test
  void printsATableWithTheTargetsByDefault() throws Exception {
    // when
    final String out = run("--trials", "1000", "--warm-up-trials", "0", "--count-store-operations");
    // then
    assertThat(out).contains("us/report").contains("skipped").containsPattern("(?m)^ +1000 +\\d+ ")
        .containsPattern("cost per report at 1000 trials / at 1000 trials: 1.00x, limit at most 1.5x: met, 33% under")
        .containsPattern("heap at 1000 trials: [0-9.]+ MB, limit under 256 MB: (met|MISSED), \\d+% (under|over)");
  }

  @Test
  void readsTheSizesAsACommaSeparatedList() {
    // given
    final SchedulerBenchCommand command = new SchedulerBenchCommand();
    // when
    new CommandLine(command).parseArgs("--trials", "1000,10000,100000,1000000", "--json");
    // then
    assertThat(command.trials).containsExactly(1_000L, 10_000L, 100_000L, 1_000_000L);
    assertThat(command.json).isTrue();
  }

  @Test
  void defaultsToTheSizesOfTheTargets() {
    final SchedulerBenchCommand command = new SchedulerBenchCommand();
    new CommandLine(command).parseArgs();
    assertThat(command.trials).containsExactly(1_000L, 10_000L, 100_000L, 1_000_000L);
  }

  @Test
  void refusesSizesThatAreNotPositive() {
    // given
    final StringWriter err = new StringWriter();
    final CommandLine command = new CommandLine(new SchedulerBenchCommand()).setErr(new PrintWriter(err));
    // when
    final int status = command.execute("--trials", "1000,0");
    // then
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--trials needs one or more positive sizes");
  }

  @Test
  void helpExplainsWhatIsMeasuredTheTargetsAndTheJmhCommand() {
    // when
    final String help = new CommandLine(new SchedulerBenchCommand()).getUsageMessage();
    // then
    assertThat(help.replaceAll("\\s+", " "))
        .contains("cost per report")
        .contains("RocksDB-backed Kafka Streams key-value store")
        .contains("at most 1.5x the cost at the smallest")
        .contains("heap under 256 MB")
        .contains("java -cp cli/target/kasha-cli.jar org.openjdk.jmh.Main PolicyBenchmark")
        .contains("--jmh");
  }

  @Test
  void theJmhBenchmarkListIsGenerated() throws Exception {
    // when
    final String list;
    try (InputStream in = PolicyBenchmark.class.getResourceAsStream("/META-INF/BenchmarkList")) {
      assertThat(in).as("META-INF/BenchmarkList").isNotNull();
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // then
    assertThat(list).contains(PolicyBenchmark.class.getName()).contains("recordThenNextPromotion");
  }

  @Test
  void isASubcommandOfKashaBench() {
    assertThat(new CommandLine(new BenchCommand()).getSubcommands()).containsKey("scheduler");
  }

  @Test
  void aTargetSaysByHowMuchItIsMetOrMissed() {
    assertThat(new Target("heap at 10 trials", 300, 256, " MB", false).line())
        .isEqualTo("heap at 10 trials: 300.00 MB, limit under 256 MB: MISSED, 17% over the limit");
    assertThat(new Target("ratio", 1.5, 1.5, "x", true).line())
        .isEqualTo("ratio: 1.50x, limit at most 1.5x: met, 0% under the limit");
  }

  private static long sum(final JsonNode values) {
    long sum = 0;
    for (final JsonNode value : values) {
      sum += value.asLong();
    }
    return sum;
  }

  private static String run(final String... args) {
    final StringWriter out = new StringWriter();
    final CommandLine command = new CommandLine(new SchedulerBenchCommand()).setOut(new PrintWriter(out));
    assertThat(command.execute(args)).isZero();
    return out.toString();
  }
}
