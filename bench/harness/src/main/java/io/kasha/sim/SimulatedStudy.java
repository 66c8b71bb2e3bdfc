package io.kasha.sim;

import io.kasha.method.RungSchedule;
import java.util.Map;

/**
 * The study as a {@link Scheduling} sees it inside a {@link Simulation}: its settings, its workers and
 * trials, and the one action that matters, starting a job. Every call happens in virtual time, from
 * within {@link Scheduling#fill} or {@link Scheduling#completed}; no method blocks.
 *
 * <p>A driver that lets another decider make the choices (for example the Kafka Streams scheduler fed
 * with the simulated reports) implements {@link Scheduling} over this: it turns each result it is given
 * into the decider's input, and each job the decider emits into {@link #start}. Trials are created in
 * sampler order ({@link #newTrial} returns 0, 1, 2...), the order in which the scheduler's own
 * {@link io.kasha.space.RandomSampler} with the same seed draws them.
 */
public interface SimulatedStudy {

  SimulationConfig config();

  /** The rungs every method uses: {@code RungSchedule.of(minResource, maxResource, eta, 0)}. */
  RungSchedule schedule();

  /**
   * The rung of {@link #schedule} whose resource is {@code resource}: where a job of a method with its
   * own rungs (a Hyperband bracket) trains to.
   *
   * @throws IllegalArgumentException if no rung has that resource
   */
  default int rungOf(final long resource) {
    final int rung = schedule().resources().indexOf(resource);
    if (rung < 0) {
      throw new IllegalArgumentException("resource " + resource + " is not a rung of the simulation's "
          + schedule().resources());
    }
    return rung;
  }

  /** The current virtual time, in seconds since the study started. */
  double now();

  /** True if a worker is free, so {@link #start} may be called. */
  boolean hasFreeWorker();

  /** Configurations sampled so far; also the index the next {@link #newTrial} returns. */
  long trialsCreated();

  /** Samples the next configuration and returns its trial index; starts nothing. */
  long newTrial();

  /** A new trial of the given configuration (a decider's own sample); returns its index, starts nothing. */
  long newTrial(Map<String, Object> params);

  /** The configuration of a trial {@link #newTrial} returned. */
  Map<String, Object> params(long trial);

  /**
   * Starts the job that trains {@code trial} to the resource of {@code rung} on a free worker: from
   * the resource it last reached when the study has checkpoints, else from scratch.
   *
   * @throws IllegalStateException if no worker is free
   * @throws IllegalArgumentException if the trial or the rung does not exist
   */
  void start(long trial, int rung);
}
