package io.kasha.objective;

import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Entrypoint;
import io.kasha.entrypoint.Progress;
import io.kasha.entrypoint.ProgressListener;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.schemas.FailureKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a Java {@link Objective} in the runner's JVM, on the calling thread, through the same
 * contract as a process: reports with {@code resource >= resourceTo} complete the segment, a return
 * without one is {@code NO_RESULT}, an exception is {@code ERROR}, and a return after cancellation
 * is {@code CANCELLED}.
 */
public final class ObjectiveEntrypoint implements Entrypoint {

  private final Objective objective;

  public ObjectiveEntrypoint(final Objective objective) {
    this.objective = Objects.requireNonNull(objective, "objective");
  }

  @Override
  public String name() {
    return objective.name();
  }

  public Objective objective() {
    return objective;
  }

  @Override
  public SegmentOutcome run(
      final Segment segment, final ProgressListener progress, final Cancellation cancellation) {
    final Context context = new Context(segment, progress, cancellation);
    try {
      objective.run(context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SegmentOutcome.failed(FailureKind.CANCELLED, "interrupted");
    } catch (Exception | LinkageError | AssertionError e) {
      return SegmentOutcome.failed(FailureKind.ERROR, describe(e));
    }
    if (cancellation.isCancelled()) {
      return SegmentOutcome.failed(FailureKind.CANCELLED, "cancelled by the runner");
    }
    final Progress reached = context.finalReport.get();
    if (reached != null) {
      return SegmentOutcome.completed(reached);
    }
    final Progress seen = context.last.get();
    return SegmentOutcome.failed(
        FailureKind.NO_RESULT,
        objective.name() + " returned without a report of " + segment.resourceName() + " >= "
            + segment.resourceTo()
            + (seen == null ? " (no report)" : " (last report: " + seen.resource() + ")"));
  }

  private static String describe(final Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage();
  }

  private static final class Context implements TrialContext {

    private final Segment segment;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final AtomicReference<Progress> last = new AtomicReference<>();
    private final AtomicReference<Progress> finalReport = new AtomicReference<>();

    Context(final Segment segment, final ProgressListener listener, final Cancellation cancellation) {
      this.segment = segment;
      this.listener = listener;
      this.cancellation = cancellation;
    }

    @Override
    public String trialId() {
      return segment.trialId();
    }

    @Override
    public Map<String, Object> params() {
      return segment.params();
    }

    @Override
    public long resourceFrom() {
      return segment.resourceFrom();
    }

    @Override
    public long resourceTo() {
      return segment.resourceTo();
    }

    @Override
    public Optional<Path> checkpointIn() {
      return segment.checkpointIn();
    }

    @Override
    public Path checkpointOut() {
      return segment.checkpointOut();
    }

    @Override
    public void report(final long resource, final Map<String, Double> metrics) {
      final Progress progress = new Progress(resource, metrics);
      last.set(progress);
      if (resource >= segment.resourceTo()) {
        finalReport.set(progress);
      }
      listener.progress(progress);
    }

    @Override
    public boolean cancelled() {
      return cancellation.isCancelled();
    }
  }
}
