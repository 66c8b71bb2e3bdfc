package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.objective.TrialContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacedObjectiveTest {

  @TempDir
  Path dir;

  private static final Map<String, Object> PARAMS = Map.of("x1", 3.14, "x2", 2.27,
      PacedObjective.STEP_MS, 1L, PacedObjective.MAX_RESOURCE, 9L);

  @Test
  void reportsEveryStepOfItsSegmentAndAPromotedTrialResumesFromItsCheckpoint() throws Exception {
    final Context first = new Context(0, 3, null, Files.createDirectory(dir.resolve("out1")));
    new PacedObjective().run(first);
    final Context second = new Context(3, 9, first.checkpointOut(), Files.createDirectory(dir.resolve("out2")));
    new PacedObjective().run(second);

    assertThat(first.resources).containsExactly(1L, 2L, 3L);
    assertThat(second.resources).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(Files.readString(second.checkpointOut().resolve(PacedObjective.CHECKPOINT_FILE)).strip())
        .isEqualTo(PacedObjective.NAME + " 9");
  }

  @Test
  void aPromotedTrialWithoutItsCheckpointFailsRatherThanStartAgain() throws Exception {
    final Context promoted = new Context(3, 9, null, Files.createDirectory(dir.resolve("out")));

    assertThatThrownBy(() -> new PacedObjective().run(promoted))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("carries no checkpoint");
    assertThat(promoted.resources).isEmpty();
  }

  private static final class Context implements TrialContext {
    final long from;
    final long to;
    final Path in;
    final Path out;
    final List<Long> resources = new ArrayList<>();

    Context(final long from, final long to, final Path in, final Path out) {
      this.from = from;
      this.to = to;
      this.in = in;
      this.out = out;
    }

    @Override
    public String trialId() {
      return "t1";
    }

    @Override
    public Map<String, Object> params() {
      return PARAMS;
    }

    @Override
    public long resourceFrom() {
      return from;
    }

    @Override
    public long resourceTo() {
      return to;
    }

    @Override
    public Optional<Path> checkpointIn() {
      return Optional.ofNullable(in);
    }

    @Override
    public Path checkpointOut() {
      return out;
    }

    @Override
    public void report(final long resource, final Map<String, Double> metrics) {
      assertThat(metrics.get(PacedObjective.METRIC)).isFinite();
      resources.add(resource);
    }

    @Override
    public boolean cancelled() {
      return false;
    }
  }
}
