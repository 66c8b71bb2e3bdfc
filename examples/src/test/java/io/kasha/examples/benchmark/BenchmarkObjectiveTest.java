package io.kasha.examples.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.benchmark.Hartmann;
import io.kasha.examples.RecordingContext;
import io.kasha.objective.Objective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkObjectiveTest {

  private static final Map<String, Object> X6 = Map.of(
      "x1", 0.2, "x2", 0.15, "x3", 0.48, "x4", 0.28, "x5", 0.31, "x6", 0.66);

  @TempDir Path dir;

  private final Hartmann deterministic = Hartmann.hartmann6().deterministic();
  private final BenchmarkObjective noisy = new BenchmarkObjective(Hartmann.hartmann6());
  private final BenchmarkObjective exact = new BenchmarkObjective(deterministic);
  private final BenchmarkObjective countingOnes = new BenchmarkObjective.CountingOnesObjective();

  @Test
  void everyFunctionIsRegisteredAsAServiceUnderItsBenchName() {
    final List<String> names = ServiceLoader.load(Objective.class).stream().map(p -> p.get().name()).toList();

    assertThat(names).contains("bench-hartmann3", "bench-hartmann6", "bench-counting-ones", "bench-branin",
        "bench-height", "quickstart-mlp");
    assertThat(names).containsAll(BenchmarkFunctions.names().stream().map(BenchmarkObjective::entrypoint).toList());
    assertThat(BenchmarkFunctions.names()).containsExactlyInAnyOrder(
        "hartmann3", "hartmann6", "counting-ones", "branin", "height");
  }

  @Test
  void reportsTheLossAtEveryResourceOfTheSegmentAndCheckpointsTheLast() throws Exception {
    final RecordingContext run = RecordingContext.fresh(X6, 3, dir.resolve("out"));

    exact.run(run);

    assertThat(run.resources()).containsExactly(1L, 2L, 3L);
    assertThat(run.reports()).allSatisfy(report -> assertThat(report.metrics()).containsOnlyKeys("loss"));
    assertThat(run.metric(BenchmarkObjective.METRIC)).containsExactly(
        deterministic.lossNoiseFree(X6, 1, 81),
        deterministic.lossNoiseFree(X6, 2, 81),
        deterministic.lossNoiseFree(X6, 3, 81));
    assertThat(dir.resolve("out").resolve(BenchmarkCheckpoint.FILE_NAME)).hasContent("hartmann6 3");
  }

  @Test
  void reportsTheOptimumAtTheFunctionsArgmin() throws Exception {
    final BenchmarkObjective height = new BenchmarkObjective.Height();
    final RecordingContext run = RecordingContext.fresh(Map.of("width", 20L, "height", -100L), 100, dir.resolve("out"));

    height.run(run);

    assertThat(run.reports()).hasSize(100);
    assertThat(run.metric(BenchmarkObjective.METRIC).get(99)).isCloseTo(-9.949749, within(1e-6));
  }

  @Test
  void noiseIsTheFunctionsAndTheSameWhenTheSegmentRunsAgain() throws Exception {
    final RecordingContext first = RecordingContext.fresh(X6, 81, dir.resolve("a"));
    final RecordingContext again = RecordingContext.fresh(X6, 81, dir.resolve("b"));
    final RecordingContext otherTrial = new RecordingContext("study-1-t2", X6, 0, 81, null, dir.resolve("c"), () -> false);

    noisy.run(first);
    noisy.run(again);
    noisy.run(otherTrial);

    assertThat(again.reports()).isEqualTo(first.reports());
    assertThat(otherTrial.metric(BenchmarkObjective.METRIC)).doesNotContainAnyElementsOf(first.metric(BenchmarkObjective.METRIC));
    final double[] residuals = LongStream.rangeClosed(1, 81)
        .mapToDouble(r -> first.metric(BenchmarkObjective.METRIC).get((int) r - 1) - deterministic.lossNoiseFree(X6, r, 81))
        .toArray();
    final double mean = Arrays.stream(residuals).average().orElseThrow();
    final double variance = Arrays.stream(residuals).map(e -> (e - mean) * (e - mean)).sum() / (residuals.length - 1);
    assertThat(variance).as("variance of the noise across steps").isBetween(0.05 / 2, 0.05 * 2);
  }

  @Test
  void promotedTrialResumesFromItsCheckpointAndReportsWhatAStraightRunReports() throws Exception {
    final RecordingContext straight = RecordingContext.fresh(X6, 9, dir.resolve("straight"));
    noisy.run(straight);

    final RecordingContext head = RecordingContext.fresh(X6, 3, dir.resolve("at-3"));
    noisy.run(head);
    final RecordingContext tail = RecordingContext.resumed(X6, 3, 9, dir.resolve("at-3"), dir.resolve("at-9"));
    noisy.run(tail);

    assertThat(head.reports()).isEqualTo(straight.reports().subList(0, 3));
    assertThat(tail.reports()).isEqualTo(straight.reports().subList(3, 9));
    assertThat(dir.resolve("at-9").resolve(BenchmarkCheckpoint.FILE_NAME)).hasContent("hartmann6 9");
  }



  @Test
  void countingOnesReportsTheMeanOfItsDrawsSoFarAndCheckpointsTheCounts() throws Exception {
    final Map<String, Object> x = countingOnes(1, 0, 1, 0, 1.0, 0.0, 0.5, 0.25);
    final RecordingContext run = RecordingContext.fresh(x, 9, dir.resolve("out"));

    countingOnes.run(run);

    final String[] checkpoint = Files.readString(dir.resolve("out").resolve(BenchmarkCheckpoint.FILE_NAME))
        .strip().split(" ");
    assertThat(checkpoint).hasSize(6).startsWith("counting-ones", "9", "9", "0");
    final long halves = Long.parseLong(checkpoint[4]);
    final long quarters = Long.parseLong(checkpoint[5]);
    assertThat(run.resources()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(run.metric(BenchmarkObjective.METRIC).get(8)).isEqualTo(-(2 + 1.0 + 0.0 + halves / 9.0 + quarters / 9.0));
    assertThat(run.metric(BenchmarkObjective.METRIC)).allSatisfy(loss -> assertThat(loss).isBetween(-5.0, -3.0));
  }

  @Test
  void promotedCountingOnesTrialGoesOnDrawingFromItsCheckpoint() throws Exception {
    final Map<String, Object> x = countingOnes(0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5);
    final RecordingContext straight = RecordingContext.fresh(x, 81, dir.resolve("straight"));
    countingOnes.run(straight);

    countingOnes.run(RecordingContext.fresh(x, 9, dir.resolve("at-9")));
    final RecordingContext resumed = RecordingContext.resumed(x, 9, 81, dir.resolve("at-9"), dir.resolve("resumed"));
    countingOnes.run(resumed);
    final RecordingContext replayed = RecordingContext.resumed(x, 9, 81, null, dir.resolve("replayed"));
    countingOnes.run(replayed);

    assertThat(resumed.reports()).isEqualTo(straight.reports().subList(9, 81));
    assertThat(replayed.reports()).isEqualTo(resumed.reports());
    assertThat(dir.resolve("resumed").resolve(BenchmarkCheckpoint.FILE_NAME))
        .hasSameTextualContentAs(dir.resolve("straight").resolve(BenchmarkCheckpoint.FILE_NAME));
  }

  @Test
  void countingOnesLossApproachesItsExpectationAsTheDrawsGrow() throws Exception {
    final Map<String, Object> x = countingOnes(1, 1, 0, 0, 0.5, 0.5, 0.5, 0.5);
    final RecordingContext run = RecordingContext.fresh(x, 729, dir.resolve("out"));

    countingOnes.run(run);

    // the loss at 729 draws has standard deviation 1/27, so it lies within 0.2 of -4 but for 1 in 10^7
    assertThat(run.metric(BenchmarkObjective.METRIC).get(728)).isCloseTo(-4.0, within(0.2));
    assertThat(countingOnes.function().lossNoiseFree(x, 729, 729)).isEqualTo(-4.0);
  }

  @Test
  void maxResourceParameterSetsTheFidelity() throws Exception {
    final RecordingContext run = RecordingContext.fresh(with(X6, "max_resource", 27L), 27, dir.resolve("out"));

    exact.run(run);

    assertThat(run.metric(BenchmarkObjective.METRIC).get(26)).isEqualTo(deterministic.lossNoiseFree(X6, 81, 81));
    assertThat(run.metric(BenchmarkObjective.METRIC).get(8)).isEqualTo(deterministic.lossNoiseFree(X6, 27, 81));
  }

  @Test
  void segmentPastTheMaximumResourceIsRefusedBeforeAnyReport() {
    final RecordingContext run = RecordingContext.fresh(X6, 82, dir.resolve("out"));

    assertThatIllegalArgumentException().isThrownBy(() -> exact.run(run)).withMessageContaining("max_resource");
    assertThat(run.reports()).isEmpty();
  }

  @Test
  void parametersOutsideTheDomainAreRefusedByNameBeforeAnyReport() {
    final RecordingContext outside = RecordingContext.fresh(with(X6, "x4", 1.5), 3, dir.resolve("a"));
    final Map<String, Object> missing = new HashMap<>(X6);
    missing.remove("x6");

    assertThatIllegalArgumentException().isThrownBy(() -> exact.run(outside)).withMessageContaining("x4");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> exact.run(RecordingContext.fresh(missing, 3, dir.resolve("b"))))
        .withMessageContaining("x6");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> exact.run(RecordingContext.fresh(with(X6, "max_resource", 2.5), 2, dir.resolve("c"))))
        .withMessageContaining("max_resource");
    assertThat(outside.reports()).isEmpty();
  }

  @Test
  void cancelledSegmentStopsWithoutACheckpoint() throws Exception {
    final List<RecordingContext> holder = new ArrayList<>();
    final RecordingContext run =
        new RecordingContext(X6, 0, 9, null, dir.resolve("out"), () -> holder.get(0).reports().size() >= 2);
    holder.add(run);

    exact.run(run);

    assertThat(run.resources()).containsExactly(1L, 2L);
    assertThat(dir.resolve("out").resolve(BenchmarkCheckpoint.FILE_NAME)).doesNotExist();
  }

  @Test
  void checkpointOfAnotherFunctionOrPastTheStartIsRefused() throws Exception {
    new BenchmarkObjective.Branin().run(RecordingContext.fresh(Map.of("x1", 0.0, "x2", 0.0), 3, dir.resolve("branin")));
    exact.run(RecordingContext.fresh(X6, 9, dir.resolve("at-9")));

    assertThatThrownBy(() -> exact.run(RecordingContext.resumed(X6, 3, 9, dir.resolve("branin"), dir.resolve("a"))))
        .hasMessageContaining("not a hartmann6 checkpoint");
    assertThatThrownBy(() -> exact.run(RecordingContext.resumed(X6, 3, 27, dir.resolve("at-9"), dir.resolve("b"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("past the segment's start 3");
    assertThat(Files.exists(dir.resolve("a").resolve(BenchmarkCheckpoint.FILE_NAME))).isFalse();
  }


  private static Map<String, Object> countingOnes(final long c1, final long c2, final long c3, final long c4,
      final double x1, final double x2, final double x3, final double x4) {
    return Map.of("c1", c1, "c2", c2, "c3", c3, "c4", c4, "x1", x1, "x2", x2, "x3", x3, "x4", x4);
  }

  private static Map<String, Object> with(final Map<String, Object> params, final String name, final Object value) {
    final Map<String, Object> copy = new HashMap<>(params);
    copy.put(name, value);
    return copy;
  }

}
