package io.kasha.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark's output and the ASHA state it leaves; never its timings. */
class SchedulerBenchCommandTest {

  private static final int ETA = 3;

  @Test
  void printsOneJsonObjectWithEverySizeAndTheRatio() throws Exception {
    // when
    final String out = run("--trials", "1000,5000", "--json", "--warm-up-trials", "0", "--seed", "7");
    // then
    final JsonNode json = new ObjectMapper().readTree(out);
    assertThat(json.get("sizes")).hasSize(2);
    assertThat(json.get("sizes").get(0).get("trials").asLong()).isEqualTo(1000);
    assertThat(json.get("sizes").get(1).get("trials").asLong()).isEqualTo(5000);
    for (final JsonNode size : json.get("sizes")) {
      assertThat(size.get("costPerReportMicros").asDouble()).isPositive();
      assertThat(size.get("heapMb").asDouble()).isPositive();
    }
    assertThat(json.get("ratio1MTo1k").asDouble()).isPositive();
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
  void printsATableByDefault() throws Exception {
    final String out = run("--trials", "1000", "--warm-up-trials", "0", "--count-store-operations");
    assertThat(out).contains("us/report").contains("skipped").containsPattern("(?m)^ +1000 +\\d+ ");
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
