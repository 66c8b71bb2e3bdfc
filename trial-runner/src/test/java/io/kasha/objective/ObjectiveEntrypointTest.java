package io.kasha.objective;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Progress;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.schemas.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectiveEntrypointTest {

  @TempDir Path checkpointOut;

  private final List<Progress> progress = new CopyOnWriteArrayList<>();
  private final ObjectiveEntrypoint halving = new ObjectiveEntrypoint(new HalvingObjective());

  @Test
  void completesWithTheReportThatReachedTheTarget() throws Exception {
    final SegmentOutcome outcome = halving.run(segment(Map.of("lr", 1.0), 0, 3, Optional.empty()), progress::add, new Cancellation());

    assertThat(outcome).isEqualTo(new SegmentOutcome.Completed(3, Map.of("loss", 0.125)));
    assertThat(progress).extracting(Progress::resource).containsExactly(1L, 2L, 3L);
    assertThat(checkpointOut.resolve("loss.txt")).hasContent("0.125");
  }

  @Test
  void resumesFromItsCheckpointIn(@TempDir final Path checkpointIn) throws Exception {
    Files.writeString(checkpointIn.resolve("loss.txt"), "0.5");

    final SegmentOutcome outcome = halving.run(segment(Map.of("lr", 1.0), 1, 2, Optional.of(checkpointIn)), progress::add, new Cancellation());

    assertThat(outcome).isEqualTo(new SegmentOutcome.Completed(2, Map.of("loss", 0.25)));
  }

  @Test
  void anExceptionIsAnError() throws Exception {
    final SegmentOutcome outcome = halving.run(segment(Map.of("fail", "diverged"), 0, 3, Optional.empty()), progress::add, new Cancellation());

    assertThat(outcome).isEqualTo(new SegmentOutcome.Failed(FailureKind.ERROR, "java.lang.IllegalStateException: diverged"));
  }

  @Test
  void returningShortOfTheTargetIsNoResult() throws Exception {
    final SegmentOutcome outcome = halving.run(segment(Map.of("lr", 1.0, "stop_at", 2L), 0, 3, Optional.empty()), progress::add, new Cancellation());

    assertThat(outcome).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) outcome).kind()).isEqualTo(FailureKind.NO_RESULT);
  }

  @Test
  void returningAfterCancellationIsCancelled() throws Exception {
    final Cancellation cancellation = new Cancellation();
    final CompletableFuture<Progress> first = new CompletableFuture<>();
    final CompletableFuture<SegmentOutcome> outcome = CompletableFuture.supplyAsync(() -> halving.run(
        segment(Map.of("lr", 1.0, "step_millis", 50L), 0, 1000, Optional.empty()), first::complete, cancellation));
    first.get(10, TimeUnit.SECONDS);

    cancellation.cancel();

    final SegmentOutcome ended = outcome.get(10, TimeUnit.SECONDS);
    assertThat(ended).isInstanceOf(SegmentOutcome.Failed.class);
    assertThat(((SegmentOutcome.Failed) ended).kind()).isEqualTo(FailureKind.CANCELLED);
  }

  private Segment segment(final Map<String, Object> params, final long from, final long to, final Optional<Path> in) {
    return new Segment("study-1", "trial-1", "job-1", params, "loss", "epoch", from, to, in, checkpointOut);
  }
}
