package io.kasha.sim;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one simulated study did.
 *
 * @param virtualSeconds the makespan: from the start to the last job's end, or to the time limit
 * @param busyWorkerSeconds time workers spent on jobs, including the lost part of dropped jobs
 * @param trials configurations sampled
 * @param rungResources the resource of each rung of {@code RungSchedule.of(minResource, maxResource, eta, 0)}
 * @param evaluationsPerRung results recorded at each of those rungs
 * @param trace every change of the best result, in time order
 * @param droppedJobs jobs lost and run again
 * @param timeLimitReached whether the time limit stopped the study with jobs in flight
 */
public record SimulationResult(
    double virtualSeconds,
    double busyWorkerSeconds,
    int workers,
    long trials,
    List<Long> rungResources,
    List<Long> evaluationsPerRung,
    List<TracePoint> trace,
    long droppedJobs,
    boolean timeLimitReached) {

  public SimulationResult {
    rungResources = List.copyOf(rungResources);
    evaluationsPerRung = List.copyOf(evaluationsPerRung);
    trace = List.copyOf(trace);
  }

  /** Busy worker-seconds over {@code workers x virtualSeconds}; 0 for a study that took no time. */
  public double utilization() {
    return virtualSeconds > 0 ? busyWorkerSeconds / (workers * virtualSeconds) : 0;
  }

  /** The best result at the end: at the highest resource reached, the lowest loss. */
  public Optional<TracePoint> best() {
    return trace.isEmpty() ? Optional.empty() : Optional.of(trace.get(trace.size() - 1));
  }

  /** The first time the best result's regret was at most {@code target}, or empty if it never was. */
  public OptionalDouble timeToRegret(final double target) {
    for (final TracePoint point : trace) {
      if (point.regret() <= target) {
        return OptionalDouble.of(point.time());
      }
    }
    return OptionalDouble.empty();
  }
}
