package io.kasha.cli.watch;

import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.StudyEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a study for people: a progress line while it runs (redrawn in place on a terminal, one
 * line every few seconds otherwise) and the rung ladder and leaderboard at the end.
 */
public final class ProgressView {

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalMs;
  private long lastPrintMs;
  private String lastLine = "";

  public ProgressView(final PrintStream out, final boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.intervalMs = terminal ? 200 : 5_000;
  }

  /** Prints the progress line if it changed and enough time has passed since the last one. */
  public void update(final StudyProjection study, final double elapsedSeconds) {
    final long now = System.currentTimeMillis();
    if (now - lastPrintMs < intervalMs) {
      return;
    }
    final String line = progressLine(study, elapsedSeconds);
    if (line.equals(lastLine)) {
      return;
    }
    lastPrintMs = now;
    lastLine = line;
    if (terminal) {
      out.print("\r\033[K" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  public void finish(final StudyProjection study, final double elapsedSeconds) {
    if (terminal) {
      out.print("\r\033[K");
    }
    out.println(progressLine(study, elapsedSeconds));
    out.println();
    if (study.rejected()) {
      out.println("Study " + study.studyId() + " was rejected:");
      study.problems().forEach(p -> out.println("  - " + p));
      return;
    }
    out.printf(Locale.ROOT, "Study %s %s: %s%n", study.studyId(), study.status().toLowerCase(Locale.ROOT),
        study.endReason());
    out.println();
    printLadder(study);
    out.println();
    printLeaderboard(study, 10);
    printParetoFront(study);
    out.flush();
  }

  private void printParetoFront(final StudyProjection study) {
    if (study.paretoFront().isEmpty()) {
      return;
    }
    out.println();
    out.println("Pareto front (" + study.paretoFront().size() + " trials):");
    for (final ParetoPoint point : study.paretoFront()) {
      out.printf(Locale.ROOT, "  %-14s %s  %s%n", point.getTrialId(), point.getMetrics(),
          StudyProjection.ordered(point.getParams(), study.paramOrder()));
    }
  }

  static String progressLine(final StudyProjection study, final double elapsedSeconds) {
    final StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "[%5.1fs] %s  trials %d  running %d", elapsedSeconds,
        study.status().toLowerCase(Locale.ROOT), study.trialsCreated(), study.inFlight()));
    if (study.failed() > 0) {
      line.append("  failed ").append(study.failed());
    }
    if (study.stopped() > 0) {
      line.append("  stopped ").append(study.stopped());
    }
    line.append("  rungs ");
    line.append(study.rungs().stream()
        .map(r -> r.resource + ":" + r.results + (r.promoted > 0 ? "(" + r.promoted + "^)" : ""))
        .collect(Collectors.joining(" ")));
    final StudyEvent best = study.best();
    if (best != null) {
      line.append(String.format(Locale.ROOT, "  best %s %.4g @%d", best.getTrialId(), best.getMetric(),
          best.getResource()));
    }
    return line.toString();
  }

  private void printLadder(final StudyProjection study) {
    final String resource = study.spec() == null ? "resource" : study.spec().getResourceName();
    out.printf(Locale.ROOT, "%-6s %10s %9s %9s%n", "rung", resource, "results", "promoted");
    for (final StudyProjection.Rung rung : study.rungs()) {
      out.printf(Locale.ROOT, "%-6d %10d %9d %9d%n", rung.rung, rung.resource, rung.results, rung.promoted);
    }
  }

  private void printLeaderboard(final StudyProjection study, final int limit) {
    final List<StudyProjection.TrialResult> top = study.leaderboard();
    if (top.isEmpty()) {
      out.println("No trial reported a result.");
      return;
    }
    final String metric = study.spec() == null ? "metric" : study.spec().getMetric();
    final List<StudyProjection.TrialResult> shown = top.subList(0, Math.min(limit, top.size()));
    final int width = Math.max(5, shown.stream().mapToInt(t -> t.trialId().length()).max().orElse(5));
    final String resource = study.spec() == null ? "resource" : study.spec().getResourceName();
    out.printf(Locale.ROOT, "%-4s %-" + width + "s %8s %12s  %s%n", "#", "trial", resource, metric, "params");
    int rank = 1;
    for (final StudyProjection.TrialResult trial : shown) {
      out.printf(Locale.ROOT, "%-4d %-" + width + "s %8d %12.5g  %s%n", rank++, trial.trialId(), trial.resource(),
          trial.metric(), formatParams(StudyProjection.ordered(trial.params(), study.paramOrder())));
    }
    if (top.size() > limit) {
      out.println("... " + (top.size() - limit) + " more (kasha events " + study.studyId() + " --json)");
    }
  }

  private static String formatParams(final Map<String, Object> params) {
    return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
