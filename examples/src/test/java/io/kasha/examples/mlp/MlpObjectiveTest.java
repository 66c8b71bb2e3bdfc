package io.kasha.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.examples.RecordingContext;
import io.kasha.objective.Objective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpObjectiveTest {

  private static final Map<String, Object> GOOD =
      Map.of("learning_rate", 0.1, "momentum", 0.9, "weight_decay", 0.0001);

  @TempDir Path dir;

  private final MlpObjective objective = new MlpObjective();

  @Test
  void isRegisteredAsAServiceUnderItsName() {
    final List<String> names =
        ServiceLoader.load(Objective.class).stream().map(p -> p.get().name()).toList();

    assertThat(names).contains("quickstart-mlp");
  }

  @Test
  void reportsEveryEpochOfTheSegment() throws Exception {
    final RecordingContext run = RecordingContext.fresh(GOOD, 4, dir.resolve("out"));

    objective.run(run);

    assertThat(run.reports())
        .extracting(RecordingContext.Report::resource)
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(run.last().metrics()).containsOnlyKeys("val_loss", "val_accuracy");
    assertThat(Files.list(dir.resolve("out"))).isNotEmpty();
  }

  @Test
  void goodSettingsLearnFarMoreThanATinyLearningRate() throws Exception {
    final RecordingContext good = RecordingContext.fresh(GOOD, 27, dir.resolve("good"));
    final RecordingContext tiny =
        RecordingContext.fresh(with(GOOD, "learning_rate", 0.001), 27, dir.resolve("tiny"));

    objective.run(good);
    objective.run(tiny);

    final double afterOneEpoch = good.reports().get(0).metric("val_loss");
    assertThat(good.last().metric("val_loss")).isLessThan(afterOneEpoch / 4);
    assertThat(good.last().metric("val_loss")).isLessThan(tiny.last().metric("val_loss") / 4);
    assertThat(good.last().metrics().get("val_accuracy")).isGreaterThan(0.9);
  }

  @Test
  void sameParametersGiveTheSameCurve() throws Exception {
    final RecordingContext first = RecordingContext.fresh(GOOD, 3, dir.resolve("a"));
    final RecordingContext second = RecordingContext.fresh(GOOD, 3, dir.resolve("b"));

    objective.run(first);
    objective.run(second);

    assertThat(second.reports()).isEqualTo(first.reports());
  }

  @Test
  void resumingFromACheckpointContinuesExactlyLikeAnUninterruptedRun() throws Exception {
    final RecordingContext straight = RecordingContext.fresh(GOOD, 9, dir.resolve("straight"));
    objective.run(straight);

    final RecordingContext head = RecordingContext.fresh(GOOD, 3, dir.resolve("epoch-3"));
    objective.run(head);
    final RecordingContext tail =
        new RecordingContext(
            GOOD, 3, 9, dir.resolve("epoch-3"), dir.resolve("epoch-9"), () -> false);
    objective.run(tail);

    assertThat(head.reports()).isEqualTo(straight.reports().subList(0, 3));
    assertThat(tail.reports()).isEqualTo(straight.reports().subList(3, 9));
    assertThat(
            Files.mismatch(
                dir.resolve("epoch-9").resolve(MlpCheckpoint.FILE_NAME),
                dir.resolve("straight").resolve(MlpCheckpoint.FILE_NAME)))
        .isEqualTo(-1L);
  }

  @Test
  void segmentWithoutCheckpointReplaysTheEpochsBeforeItsStart() throws Exception {
    final RecordingContext straight = RecordingContext.fresh(GOOD, 5, dir.resolve("straight"));
    objective.run(straight);

    final RecordingContext late =
        new RecordingContext(GOOD, 3, 5, null, dir.resolve("late"), () -> false);
    objective.run(late);

    assertThat(late.reports()).isEqualTo(straight.reports().subList(3, 5));
  }

  @Test
  void absurdLearningRateIsReportedAsDivergedWithoutThrowing() {
    final RecordingContext run =
        RecordingContext.fresh(with(GOOD, "learning_rate", 50.0), 27, dir.resolve("out"));

    assertThatCode(() -> objective.run(run)).doesNotThrowAnyException();

    assertThat(run.last().resource()).isEqualTo(27);
    assertThat(run.last().metric("val_loss")).isNaN();
    assertThat(run.reports()).hasSizeLessThan(27);
  }

  @Test
  void cancelledSegmentStopsBetweenBatchesWithoutACheckpoint() throws Exception {
    final AtomicInteger checks = new AtomicInteger();
    final int batchesPerEpoch = 2_000 / 32 + 1;
    final RecordingContext run =
        new RecordingContext(
            GOOD,
            0,
            27,
            null,
            dir.resolve("out"),
            () -> checks.incrementAndGet() > batchesPerEpoch + 10);

    objective.run(run);

    assertThat(run.reports()).extracting(RecordingContext.Report::resource).containsExactly(1L);
    assertThat(checks.get()).isLessThan(batchesPerEpoch * 2 + 5);
    assertThat(dir.resolve("out").resolve(MlpCheckpoint.FILE_NAME)).doesNotExist();
  }

  @Test
  void largerHiddenLayerAndBatchAreHonouredAndCheckedOnResume() throws Exception {
    final Map<String, Object> wide = with(with(GOOD, "hidden", 64L), "batch_size", 100L);
    final RecordingContext head = RecordingContext.fresh(wide, 2, dir.resolve("wide"));
    objective.run(head);
    final RecordingContext narrow = RecordingContext.fresh(GOOD, 2, dir.resolve("narrow"));
    objective.run(narrow);

    assertThat(head.reports()).isNotEqualTo(narrow.reports());
    final RecordingContext mismatched =
        new RecordingContext(GOOD, 2, 3, dir.resolve("wide"), dir.resolve("next"), () -> false);
    assertThatThrownBy(() -> objective.run(mismatched))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("64 hidden units");
  }

  @Test
  void missingOrNonsensicalParametersAreRejectedByName() {
    final Map<String, Object> missing = new HashMap<>(GOOD);
    missing.remove("momentum");

    assertThatThrownBy(() -> objective.run(RecordingContext.fresh(missing, 1, dir)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("momentum");
    assertThatThrownBy(
            () -> objective.run(RecordingContext.fresh(with(GOOD, "momentum", 1.5), 1, dir)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("momentum");
  }

  @Test
  void checkpointFromElsewhereIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in").resolve(MlpCheckpoint.FILE_NAME), "not a network");
    final RecordingContext run =
        new RecordingContext(GOOD, 3, 9, dir.resolve("in"), dir.resolve("out"), () -> false);

    assertThatThrownBy(() -> objective.run(run))
        .hasMessageContaining("not a quickstart-mlp checkpoint");
  }

  private static Map<String, Object> with(
      final Map<String, Object> params, final String name, final Object value) {
    final Map<String, Object> copy = new HashMap<>(params);
    copy.put(name, value);
    return copy;
  }
}
