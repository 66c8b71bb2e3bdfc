package io.kasha.bench.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of the pipeline benchmark measured, and under which settings.
 *
 * @param reportsPerSecond SEGMENT_COMPLETED reports processed by the scheduler per second in the
 *     window: RUNG_RESULT events committed to the study-events topic
 * @param reportRecordsPerSecond records of every kind (STARTED, PROGRESS, SEGMENT_COMPLETED) written to
 *     the trial-reports topic per second in the window
 * @param jobsPerSecond committed jobs seen on the trial-jobs topic per second in the window
 * @param reportToJobP50Ms from a SEGMENT_COMPLETED report's timestamp to a runner's slot taking the job it
 *     triggered, median over the window; {@code P99}, {@code P999} and {@code Max} likewise
 * @param jobsMeasured jobs whose report-to-job latency was recorded in the window
 * @param reportToVisibleP50Ms from the report to the job becoming visible to a {@code read_committed}
 *     consumer of the trial-jobs topic (its transaction committed), median; the rest of the latency is
 *     the share group's delivery to a slot
 * @param reportToVisibleP99Ms the same, 99th percentile
 * @param processCores CPU used by this process (broker, scheduler, runners and the benchmark's own
 *     readers) in the window, in cores
 * @param coresByPart the same, by part (see {@link CpuByPart}); empty if the JVM cannot tell
 * @param machineCores CPU used by every process of the machine in the window, in cores (-1 if unknown):
 *     well above {@code processCores}, something else competed for the machine
 * @param schedulerCommitsPerSecond transactions the scheduler committed per second in the window
 * @param schedulerCommitMs how long one commit took, on average, at the window's end (NaN if unknown)
 */
record PipelineBenchResult(
    double reportsPerSecond,
    double reportRecordsPerSecond,
    double jobsPerSecond,
    double reportToJobP50Ms,
    double reportToJobP99Ms,
    double reportToJobP999Ms,
    double reportToJobMaxMs,
    long jobsMeasured,
    double reportToVisibleP50Ms,
    double reportToVisibleP99Ms,
    double processCores,
    Map<String, Double> coresByPart,
    double machineCores,
    double schedulerCommitsPerSecond,
    double schedulerCommitMs,
    Settings settings,
    int studiesRun,
    int studiesCompleted) {

  /** How the run was set up. */
  record Settings(
      String broker,
      int studies,
      int trials,
      int parallelism,
      long jobMs,
      int runners,
      int slots,
      int partitions,
      int streamThreads,
      long commitIntervalMs,
      double seconds,
      double warmupSeconds,
      int cores) {}

  Map<String, Object> json() {
    final Map<String, Object> json = new LinkedHashMap<>();
    json.put("reportsPerSecond", round(reportsPerSecond));
    json.put("reportToJobP50Ms", reportToJobP50Ms);
    json.put("reportToJobP99Ms", reportToJobP99Ms);
    json.put("reportToJobP999Ms", reportToJobP999Ms);
    json.put("reportToJobMaxMs", reportToJobMaxMs);
    json.put("jobsMeasured", jobsMeasured);
    json.put("reportToVisibleP50Ms", reportToVisibleP50Ms);
    json.put("reportToVisibleP99Ms", reportToVisibleP99Ms);
    json.put("reportRecordsPerSecond", round(reportRecordsPerSecond));
    json.put("jobsPerSecond", round(jobsPerSecond));
    json.put("processCores", round(processCores));
    json.put("machineCores", round(machineCores));
    json.put("schedulerCommitsPerSecond", round(schedulerCommitsPerSecond));
    json.put("schedulerCommitMs", Double.isNaN(schedulerCommitMs) ? null : round(schedulerCommitMs));
    final Map<String, Object> byPart = new LinkedHashMap<>();
    coresByPart.forEach((part, cores) -> byPart.put(part, round(cores)));
    json.put("coresByPart", byPart);
    json.put("reportsCounted", "RUNG_RESULT events on the study-events topic (read_committed) in the window");
    json.put("broker", settings.broker());
    json.put("studies", settings.studies());
    json.put("trials", settings.trials());
    json.put("parallelism", settings.parallelism());
    json.put("jobMs", settings.jobMs());
    json.put("runners", settings.runners());
    json.put("slots", settings.slots());
    json.put("partitions", settings.partitions());
    json.put("streamThreads", settings.streamThreads());
    json.put("commitIntervalMs", settings.commitIntervalMs());
    json.put("seconds", settings.seconds());
    json.put("warmupSeconds", settings.warmupSeconds());
    json.put("cores", settings.cores());
    json.put("studiesRun", studiesRun);
    json.put("studiesCompleted", studiesCompleted);
    return json;
  }

  String summary() {
    final Settings s = settings;
    final double others = machineCores - processCores;
    final String contention = machineCores >= 0 && others > 0.25
        ? String.format(Locale.ROOT, "  note                  other processes used about %.1f cores during the window: "
            + "these figures understate the machine%n", others)
        : "";
    return contention + String.format(Locale.ROOT, """
        Pipeline benchmark: %d studies at once (%d trials each, parallelism %d, rungs 1/3/9, eta 3, %s), \
        %d runner(s) x %d slots, %d partitions, %d stream thread(s), commit interval %d ms, %d cores, %s broker
          window                %.1f s after %.1f s of warm-up
          reports/s             %,.0f   SEGMENT_COMPLETED reports processed (RUNG_RESULT events committed)
          report records/s      %,.0f   every kind written to the trial-reports topic
          jobs/s                %,.0f   committed on the trial-jobs topic
          report -> next job    p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms over %,d jobs taken by a slot
          report -> committed   p50 %.1f ms, p99 %.1f ms: visible to read_committed consumers; the rest is the share group
          scheduler commits     %.1f/s (commit.interval.ms %d), %.1f ms each: a job is visible once committed
          CPU                   %.2f cores used by this process, %.2f by the whole machine
        %s  studies               %d run, %d completed
        """,
        s.studies(), s.trials(), s.parallelism(),
        s.jobMs() == 0 ? "no-op jobs" : "jobs of 0 to " + 2 * s.jobMs() + " ms", s.runners(), s.slots(), s.partitions(), s.streamThreads(),
        s.commitIntervalMs(), s.cores(), s.broker(), s.seconds(), s.warmupSeconds(), reportsPerSecond,
        reportRecordsPerSecond, jobsPerSecond, reportToJobP50Ms, reportToJobP99Ms, reportToJobP999Ms,
        reportToJobMaxMs, jobsMeasured, reportToVisibleP50Ms, reportToVisibleP99Ms, schedulerCommitsPerSecond, s.commitIntervalMs(), schedulerCommitMs,
        processCores, machineCores, byPartLine(), studiesRun, studiesCompleted);
  }

  /** "  CPU by part   scheduler 0.66 (0.82 ms/report), broker ..." or nothing if unknown. */
  private String byPartLine() {
    if (coresByPart.isEmpty()) {
      return "";
    }
    final StringBuilder line = new StringBuilder("  CPU by part           ");
    final String[] parts = coresByPart.keySet().toArray(String[]::new);
    for (int i = 0; i < parts.length; i++) {
      final double cores = coresByPart.get(parts[i]);
      line.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", parts[i], cores));
      if (reportsPerSecond > 0) {
        line.append(String.format(Locale.ROOT, " (%.2f ms/report)", 1000 * cores / reportsPerSecond));
      }
    }
    return line.append(System.lineSeparator()).toString();
  }

  private static double round(final double value) {
    return Math.round(value * 100) / 100.0;
  }
}
