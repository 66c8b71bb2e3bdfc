package io.kasha.entrypoint;

/**
 * Something a runner can execute for a job: a registered process or a Java objective. A job names
 * an entrypoint; the runner looks it up in its own registry and never runs anything else.
 *
 * <p>{@link #run} may be called concurrently for different segments.
 */
public interface Entrypoint {

  /** The name jobs refer to. */
  String name();

  /**
   * Trains one segment and returns how it ended. Reports progress through {@code progress} as it
   * happens; returns {@link SegmentOutcome.Failed} with {@code CANCELLED} soon after {@code
   * cancellation} fires. Failures of the training program are outcomes, not exceptions.
   */
  SegmentOutcome run(Segment segment, ProgressListener progress, Cancellation cancellation)
      throws InterruptedException;
}
