package io.kasha.bench.sim;

import java.util.List;

/**
 * One method with one number of workers, over every seed: means over the seeds, except where said.
 *
 * @param utilization busy worker-time over {@code workers x span}
 * @param evaluationsPerRung results recorded at each rung, rung 0 first
 * @param timeToTarget virtual seconds until the incumbent's regret is at most the target, over the
 *     seeds that got there; null if none did
 * @param reachedTarget how many seeds got there
 * @param timesToTarget the time to target of each seed that got there, in seed order
 * @param speedup {@code timeToTarget} of the same method with 1 worker over this one; null when either
 *     is missing
 * @param speedupLow the low end of a 95% bootstrap interval of the speedup over the seeds; null with it
 * @param speedupHigh the high end of that interval; null with it
 * @param bestObjective the incumbent's noise-free loss at full fidelity at the end
 * @param bestRegret that minus the function's optimum
 * @param regretOverTime the incumbent's regret at fixed fractions of the time limit (infinite before
 *     any result)
 * @param cpuMillisPerStudy CPU time to simulate one study (its thread's, so other load on the machine does not count)
 */
public record SimBenchRun(
    String method,
    int workers,
    int seeds,
    double utilization,
    List<Double> evaluationsPerRung,
    Double timeToTarget,
    int reachedTarget,
    List<Double> timesToTarget,
    Double speedup,
    Double speedupLow,
    Double speedupHigh,
    double bestObjective,
    double bestRegret,
    List<TracePoint> regretOverTime,
    double trials,
    double cpuMillisPerStudy) {

  /** The mean regret of the incumbent at {@code time} virtual seconds. */
  public record TracePoint(double time, double regret) {}

  public SimBenchRun {
    evaluationsPerRung = List.copyOf(evaluationsPerRung);
    timesToTarget = List.copyOf(timesToTarget);
    regretOverTime = List.copyOf(regretOverTime);
  }

  /** This run with its speedup over {@code oneWorker}, the same method's run with 1 worker. */
  SimBenchRun withSpeedupOver(final SimBenchRun oneWorker) {
    if (oneWorker == null || oneWorker.timeToTarget() == null || timeToTarget == null) {
      return this;
    }
    final double[] interval = SpeedupInterval.of(oneWorker.timesToTarget(), timesToTarget);
    return new SimBenchRun(method, workers, seeds, utilization, evaluationsPerRung, timeToTarget, reachedTarget,
        timesToTarget, oneWorker.timeToTarget() / timeToTarget, interval[0], interval[1], bestObjective, bestRegret,
        regretOverTime, trials, cpuMillisPerStudy);
  }
}
