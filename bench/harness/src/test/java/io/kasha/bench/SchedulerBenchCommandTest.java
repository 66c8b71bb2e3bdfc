package io.kasha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark's output and the ASHA state it leaves; never its timings. */
class SchedulerBenchCommandTest {

  private static final int ETA = 3;

  @Test
  void printsOneWellFormedJsonObjectWithEverySizeTheTargetsAndTheMachine() throws Exception {
    // when the benchmark runs for real: what its timings turn out to be is not asserted
    final String out = run("--trials", "1000,2000", "--json", "--warm-up-trials", "0", "--seed", "7");
    // then
    final JsonNode json = new ObjectMapper().readTree(out);
    assertThat(json.get("sizes")).hasSize(2);
    assertThat(json.get("sizes").get(0).get("trials").asLong()).isEqualTo(1000);
    assertThat(json.get("sizes").get(1).get("trials").asLong()).isEqualTo(2000);
    for (final JsonNode size : json.get("sizes")) {
      assertThat(size.get("costPerReportMicros").isNumber()).isTrue();
      assertThat(size.get("heapMb").isNumber()).isTrue();
      assertThat(size.get("wallPerReportMicros").isNumber()).isTrue();
    }
    final JsonNode cost = json.get("targets").get("costRatio");
    assertThat(cost.get("description").asText()).isEqualTo("cost per report at 2000 trials / at 1000 trials");
    assertThat(cost.get("measured").isNumber()).isTrue();
    assertThat(cost.get("limit").asDouble()).isEqualTo(1.5);
    assertThat(cost.get("met").isBoolean()).isTrue();
    final JsonNode heap = json.get("targets").get("heapMb");
    assertThat(heap.get("limit").asDouble()).isEqualTo(256);
    assertThat(heap.get("unit").asText()).isEqualTo("MB");
    assertThat(heap.get("marginPercent").isNumber()).isTrue();
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(json.get("machine").get("jvm").asText()).isNotBlank();
    assertThat(json.get("machine").get("kafka").asText()).isNotBlank();
  }

  @Test
  void judgesTheCostRatioOnTheFigureItPrints() throws Exception {
    // given the figures of a run whose ratio, 48.01 / 31.98 = 1.5012, prints as 1.50
    final List<SizeResult> results = List.of(size(1000, 31.98, 40.0), size(2000, 48.01, 41.3));
    // when
    final Target cost = SchedulerBenchCommand.targets(results).get("costRatio");
    final JsonNode json = new ObjectMapper().readTree(new SchedulerBenchCommand().json(SETTINGS, results))
        .get("targets").get("costRatio");
    // then the JSON, the line and the verdict agree on 1.50, which is at most 1.5
    assertThat(cost.measured()).isEqualTo(1.50);
    assertThat(cost.met()).isTrue();
    assertThat(cost.line()).isEqualTo(
        "cost per report at 2000 trials / at 1000 trials: 1.50x, limit at most 1.5x: met, at the limit");
    assertThat(json.get("measured").asDouble()).isEqualTo(1.50);
    assertThat(json.get("met").asBoolean()).isTrue();
    assertThat(json.get("marginPercent").asDouble()).isEqualTo(0.0);
  }

  @Test
  void missesTheCostRatioOnceThePrintedFigureIsOverTheLimit() throws Exception {
    // given a ratio of 1.506, printed as 1.51
    final List<SizeResult> results = List.of(size(1000, 10.0, 40.0), size(1_000_000, 15.06, 90.0));
    // when
    final JsonNode targets = new ObjectMapper().readTree(new SchedulerBenchCommand().json(SETTINGS, results))
        .get("targets");
    // then
    assertThat(targets.get("costRatio").get("measured").asDouble()).isEqualTo(1.51);
    assertThat(targets.get("costRatio").get("met").asBoolean()).isFalse();
    assertThat(targets.get("costRatio").get("marginPercent").asDouble()).isEqualTo(-0.67);
    assertThat(targets.get("heapMb").get("description").asText()).isEqualTo("heap at 1000000 trials");
    assertThat(targets.get("heapMb").get("measured").asDouble()).isEqualTo(90.0);
    assertThat(targets.get("heapMb").get("met").asBoolean()).isTrue();
    assertThat(targets.get("heapMb").get("marginPercent").asDouble()).isEqualTo(64.84);
  }

  @Test
  void aHeapAtTheLimitMissesIt() {
    // given a heap that prints as 256.00 MB: the limit is "under 256 MB"
    final List<SizeResult> results = List.of(size(1000, 10.0, 255.996));
    // when
    final Target heap = SchedulerBenchCommand.targets(results).get("heapMb");
    // then
    assertThat(heap.measured()).isEqualTo(256.0);
    assertThat(heap.met()).isFalse();
    assertThat(heap.line()).isEqualTo("heap at 1000 trials: 256.00 MB, limit under 256 MB: MISSED, at the limit");
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
        .contains("java -cp bench/harness/target/kasha-bench.jar org.openjdk.jmh.Main PolicyBenchmark")
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
        .isEqualTo("ratio: 1.50x, limit at most 1.5x: met, at the limit");
  }

  private static final SchedulerBench.Settings SETTINGS = new SchedulerBench.Settings(ETA, 81, 16, 7, 1000, 0);

  private static SizeResult size(final long trials, final double costPerReportMicros, final double heapMb) {
    return new SizeResult(trials, 5 * trials, 1000, costPerReportMicros, costPerReportMicros, costPerReportMicros,
        costPerReportMicros, costPerReportMicros, trials / 1000, costPerReportMicros, heapMb, 1.0, 1.0,
        List.of(trials), List.of(0L), null);
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
