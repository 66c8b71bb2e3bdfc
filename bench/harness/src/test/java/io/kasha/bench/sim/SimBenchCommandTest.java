package io.kasha.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.bench.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimBenchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int bench(final String... args) {
    final CommandLine command = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err));
    return command.execute(args);
  }

  @Test
  void jsonHasOneRunPerMethodAndWorkerCountWithItsFigures() throws Exception {
    // when
    final int exit = bench("sim", "--benchmark", "height", "--workers", "1,4", "--methods", "asha,SHA",
        "--seeds", "2", "--max-seconds", "2000", "--target", "0.5", "--eta", "3", "--min-resource", "1",
        "--max-resource", "27", "--straggler-sigma", "0.2", "--drop-probability", "0.0001", "--json");
    // then
    assertThat(exit).as(err.toString()).isZero();
    final JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("settings").get("benchmark").asText()).isEqualTo("height");
    assertThat(report.get("settings").get("rungResources").toString()).isEqualTo("[1,3,9,27]");
    final JsonNode runs = report.get("runs");
    assertThat(runs).hasSize(4);
    assertThat(runs.findValuesAsText("method")).containsExactly("asha", "asha", "sha", "sha");
    assertThat(runs.findValues("workers")).extracting(JsonNode::asInt).containsExactly(1, 4, 1, 4);
    for (final JsonNode run : runs) {
      assertThat(run.get("utilization").asDouble()).isBetween(0.0, 1.0);
      assertThat(run.get("evaluationsPerRung")).hasSize(4);
      assertThat(run.get("bestObjective").asDouble()).isLessThan(0);
      assertThat(run.get("seeds").asInt()).isEqualTo(2);
      assertThat(run.has("timeToTarget")).isTrue();
      assertThat(run.has("speedup")).isTrue();
      assertThat(run.get("regretOverTime")).hasSize(SimBench.TRACE_FRACTIONS.size());
    }
    final JsonNode oneWorker = runs.get(0);
    assertThat(oneWorker.get("reachedTarget").asInt()).isEqualTo(2);
    assertThat(oneWorker.get("speedup").asDouble()).isEqualTo(1.0);
    final JsonNode fourWorkers = runs.get(1);
    assertThat(fourWorkers.get("speedup").asDouble())
        .isEqualTo(oneWorker.get("timeToTarget").asDouble() / fourWorkers.get("timeToTarget").asDouble());
    assertThat(fourWorkers.get("timesToTarget")).hasSize(2);
    assertThat(fourWorkers.get("speedupLow").isNumber()).isTrue();
    assertThat(fourWorkers.get("speedupHigh").isNumber()).isTrue();
    assertThat(fourWorkers.get("speedupLow").asDouble()).isLessThanOrEqualTo(fourWorkers.get("speedup").asDouble());
    assertThat(fourWorkers.get("speedupHigh").asDouble()).isGreaterThanOrEqualTo(fourWorkers.get("speedup").asDouble());
    assertThat(fourWorkers.get("utilization").asDouble()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void theTableShowsEachRunAndWhetherTheTargetsWereMet() {
    // when
    final int exit = bench("sim", "--benchmark", "height", "--workers", "1,25,500", "--methods", "asha,sha",
        "--seeds", "1", "--max-seconds", "1000");
    // then
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("height, rungs [1, 3, 9, 27, 81, 100] (eta 3), 1 seeds, time limit 1000 s")
        .containsPattern("(?m)^asha +500 +100\\.0%")
        .contains("target: ASHA utilization with 500 workers >= 99%: 100.00% (met); synchronous SHA beside it:")
        .contains("target: ASHA with 25 workers at least 20x faster to target than 1 worker:");
  }

  @Test
  void unknownNamesAreRefusedWithTheAllowedOnes() {
    // when
    final int exit = bench("sim", "--benchmark", "rosenbrock", "--methods", "asha,bohb", "--workers", "0");
    // then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown benchmark function 'rosenbrock' (known: hartmann3, hartmann6, counting-ones, branin, height)")
        .contains("unknown method 'bohb' (known: asha, sha, hyperband, random)")
        .contains("--workers must all be at least 1");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void settingsTheSimulationRefusesAreReported() {
    // when
    final int exit = bench("sim", "--benchmark", "height", "--eta", "1", "--drop-probability", "1.5");
    // then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("eta must be at least 2").contains("dropProbability must be in [0, 1)");
  }

  @Test
  void noiseFreeHartmannChangesTheStudyAndIsRefusedForOtherFunctions() throws Exception {
    // given: the same study with and without Hartmann's noise term
    final String[] args = {"sim", "--benchmark", "hartmann6", "--workers", "4", "--methods", "asha", "--seeds", "1",
        "--max-seconds", "20000", "--json"};
    assertThat(bench(args)).as(err.toString()).isZero();
    final JsonNode noisy = new ObjectMapper().readTree(out.toString());
    out.getBuffer().setLength(0);
    // when
    final String[] noiseFree = java.util.Arrays.copyOf(args, args.length + 1);
    noiseFree[args.length] = "--noise-free";
    assertThat(bench(noiseFree)).as(err.toString()).isZero();
    final JsonNode clean = new ObjectMapper().readTree(out.toString());
    // then: promotions follow the true losses, so the study differs
    assertThat(noisy.get("settings").get("noiseFree").asBoolean()).isFalse();
    assertThat(clean.get("settings").get("noiseFree").asBoolean()).isTrue();
    assertThat(clean.get("runs").get(0).get("bestRegret").asDouble())
        .isNotEqualTo(noisy.get("runs").get(0).get("bestRegret").asDouble());

    // when
    out.getBuffer().setLength(0);
    final int refused = bench("sim", "--benchmark", "counting-ones", "--noise-free");
    // then
    assertThat(refused).isEqualTo(2);
    assertThat(err.toString()).contains("--noise-free applies to hartmann3 and hartmann6 only, got --benchmark "
        + "counting-ones");
  }
}
