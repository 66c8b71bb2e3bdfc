package io.kasha.bench.sim;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The human-readable report of {@code kasha bench sim}: the settings, one line per run, the targets. */
final class SimBenchTable {

  private SimBenchTable() {}

  static String render(final SimBenchCommand.Settings settings, final List<SimBenchRun> runs) {
    final StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "%s%s, rungs %s (eta %d), %d seeds, time limit %.0f s%s, stragglers %s, "
            + "drops %s/s; target regret %s (optimum %s)%n%n",
        settings.benchmark(), settings.noiseFree() ? " without noise" : "", settings.rungResources(), settings.eta(), settings.seeds(), settings.maxSeconds(),
        settings.maxTrials() == null ? "" : ", " + settings.maxTrials() + " trials", settings.stragglerSigma(),
        settings.dropProbability(), settings.targetRegret(), settings.optimum()));
    text.append(String.format(Locale.ROOT, "%-9s %7s %7s %9s %-34s %12s %7s %8s %9s  %s%n", "method", "workers",
        "util", "trials", "evaluations per rung", "to target s", "reached", "speedup", "regret",
        "regret at " + SimBench.TRACE_FRACTIONS.stream().map(f -> f * 100 + "%").collect(Collectors.joining(" "))
            + " of the time limit"));
    for (final SimBenchRun run : runs) {
      text.append(String.format(Locale.ROOT, "%-9s %7d %6.1f%% %9.0f %-34s %12s %4d/%-2d %8s %9.4f  %s%n",
          run.method(), run.workers(), run.utilization() * 100, run.trials(),
          run.evaluationsPerRung().stream().map(e -> String.format(Locale.ROOT, "%.0f", e))
              .collect(Collectors.joining(" ")),
          run.timeToTarget() == null ? "-" : String.format(Locale.ROOT, "%.0f", run.timeToTarget()),
          run.reachedTarget(), run.seeds(),
          run.speedup() == null ? "-" : String.format(Locale.ROOT, "%.1fx", run.speedup()),
          run.bestRegret(),
          run.regretOverTime().stream().map(p -> String.format(Locale.ROOT, "%.3f", p.regret()))
              .collect(Collectors.joining(" "))));
    }
    text.append(String.format(Locale.ROOT, "%nsimulation CPU time per study: %.0f ms on average, %.0f ms for the slowest kind%n",
        runs.stream().mapToDouble(SimBenchRun::cpuMillisPerStudy).average().orElse(0),
        runs.stream().mapToDouble(SimBenchRun::cpuMillisPerStudy).max().orElse(0)));
    find(runs, "asha", 500).ifPresent(asha -> text.append(String.format(Locale.ROOT,
        "target: ASHA utilization with 500 workers >= 99%%: %.2f%% (%s)%s%n", asha.utilization() * 100,
        asha.utilization() >= 0.99 ? "met" : "missed",
        find(runs, "sha", 500).map(sha -> String.format(Locale.ROOT, "; synchronous SHA beside it: %.2f%%",
            sha.utilization() * 100)).orElse(""))));
    find(runs, "asha", 25).filter(asha -> find(runs, "asha", 1).isPresent()).ifPresent(asha -> text.append(
        asha.speedup() == null
            ? "target: ASHA with 25 workers at least 20x faster to target than 1 worker: missed (a run never reached "
                + "the target)\n"
            : String.format(Locale.ROOT, "target: ASHA with 25 workers at least 20x faster to target than 1 worker: "
                + "%.1fx (%s; 95%% bootstrap interval over the seeds %.1fx to %.1fx)%n", asha.speedup(),
                asha.speedup() >= 20 ? "met" : "missed", asha.speedupLow(), asha.speedupHigh())));
    return text.toString();
  }

  private static Optional<SimBenchRun> find(final List<SimBenchRun> runs, final String method, final int workers) {
    return runs.stream().filter(run -> run.method().equals(method) && run.workers() == workers).findFirst();
  }
}
