package io.kasha.bench.sim;

import io.kasha.sim.Method;
import io.kasha.sim.Simulation;
import io.kasha.sim.SimulationConfig;
import io.kasha.sim.SimulationResult;
import io.kasha.sim.TracePoint;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Runs one simulated study per method, number of workers and seed, and sums each method and number
 * of workers up over the seeds (seeds 0..seeds-1, the same ones for every method and worker count).
 */
final class SimBench {

  /** Fractions of the time limit at which the incumbent's regret is reported. */
  static final List<Double> TRACE_FRACTIONS = List.of(0.01, 0.03, 0.1, 0.3, 1.0);

  private SimBench() {}

  /** {@code base} gives everything but the method, workers and seed. */
  static List<SimBenchRun> run(final SimulationConfig base, final List<Method> methods, final List<Integer> workers,
      final int seeds, final double targetRegret) {
    return run(base, methods, workers, seeds, targetRegret, Simulation::run);
  }

  /** As above, with each study run by {@code simulate} (for example through the real scheduler). */
  static List<SimBenchRun> run(final SimulationConfig base, final List<Method> methods, final List<Integer> workers,
      final int seeds, final double targetRegret, final Function<SimulationConfig, SimulationResult> simulate) {
    final List<SimBenchRun> runs = new ArrayList<>();
    for (final Method method : methods) {
      SimBenchRun oneWorker = null;
      for (final int count : workers) {
        final SimBenchRun run = summarise(base.withMethod(method).withWorkers(count), seeds, targetRegret, simulate);
        if (count == 1) {
          oneWorker = run;
        }
        runs.add(run);
      }
      for (int i = runs.size() - workers.size(); i < runs.size(); i++) {
        runs.set(i, runs.get(i).withSpeedupOver(oneWorker));
      }
    }
    return runs;
  }

  private static SimBenchRun summarise(final SimulationConfig config, final int seeds, final double targetRegret,
      final Function<SimulationConfig, SimulationResult> simulate) {
    final List<Double> times = TRACE_FRACTIONS.stream().map(f -> f * config.maxSeconds()).toList();
    double utilization = 0;
    double[] evaluations = null;
    double timeToTarget = 0;
    int reached = 0;
    final List<Double> timesToTarget = new ArrayList<>();
    double bestRegret = 0;
    double trials = 0;
    final double[] regretAt = new double[times.size()];
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    final long begin = threads.getCurrentThreadCpuTime();
    for (int seed = 0; seed < seeds; seed++) {
      final SimulationResult result = simulate.apply(config.withSeed(seed));
      utilization += result.utilization();
      if (evaluations == null) {
        evaluations = new double[result.evaluationsPerRung().size()];
      }
      for (int k = 0; k < evaluations.length; k++) {
        evaluations[k] += result.evaluationsPerRung().get(k);
      }
      final OptionalDouble time = result.timeToRegret(targetRegret);
      if (time.isPresent()) {
        timeToTarget += time.getAsDouble();
        timesToTarget.add(time.getAsDouble());
        reached++;
      }
      bestRegret += result.best().map(TracePoint::regret).orElse(Double.POSITIVE_INFINITY);
      trials += result.trials();
      for (int i = 0; i < times.size(); i++) {
        regretAt[i] += regretAt(result, times.get(i));
      }
    }
    final double cpuMillis = (threads.getCurrentThreadCpuTime() - begin) / 1e6 / seeds;
    final List<SimBenchRun.TracePoint> trace = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      trace.add(new SimBenchRun.TracePoint(times.get(i), regretAt[i] / seeds));
    }
    final List<Double> meanEvaluations = new ArrayList<>();
    for (final double sum : evaluations) {
      meanEvaluations.add(sum / seeds);
    }
    return new SimBenchRun(config.method().name().toLowerCase(Locale.ROOT), config.workers(), seeds,
        utilization / seeds, meanEvaluations, reached == 0 ? null : timeToTarget / reached, reached, timesToTarget,
        null, null, null,
        bestRegret / seeds + config.function().optimum(), bestRegret / seeds, trace, trials / seeds, cpuMillis);
  }

  /** The regret of the incumbent at {@code time}: the last trace point at or before it. */
  private static double regretAt(final SimulationResult result, final double time) {
    double regret = Double.POSITIVE_INFINITY;
    for (final TracePoint point : result.trace()) {
      if (point.time() > time) {
        break;
      }
      regret = point.regret();
    }
    return regret;
  }
}
