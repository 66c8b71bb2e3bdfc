package io.kasha.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code docs/benchmarks.md} and its SVG charts from the JSON results of the bench commands,
 * stating the machine, the versions, the command behind every figure and whether each target was met.
 */
final class BenchReport {

  /**
   * One benchmark's result with the command line that produced it, the machine it ran on (as
   * {@link #machine()} described it there; null for a result saved without it) and when.
   */
  record Section(String command, JsonNode result, String machine, String measuredAt) {}

  private final Path docs;
  private final StringBuilder md = new StringBuilder();
  /** Whether every section was measured on one machine, named once at the top. */
  private boolean oneMachine;

  BenchReport(final Path docs) {
    this.docs = docs;
  }

  Path write(final Section scheduler, final Section pipeline, final Section pipelineLatency, final Section handoff,
      final Section sim) throws IOException {
    Files.createDirectories(docs.resolve("benchmarks"));
    md.append("# Kasha benchmarks\n\n")
        .append("Regenerate with `kasha bench report`. ")
        .append("Written ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\n");
    final java.util.Set<String> machines = new java.util.LinkedHashSet<>();
    for (final Section section : new Section[] {scheduler, pipeline, pipelineLatency, handoff, sim}) {
      if (section != null) {
        machines.add(section.machine() == null ? "not recorded" : section.machine());
      }
    }
    oneMachine = machines.size() == 1;
    if (oneMachine) {
      md.append("Machine: ").append(machines.iterator().next()).append("\n\n");
    }
    md.append("Figures come from one run on this machine; the machines here are shared, so compare ratios "
        + "measured in the same run rather than absolute numbers across runs.\n\n");
    if (scheduler != null) {
      scheduler(scheduler);
    }
    if (pipeline != null) {
      pipeline(pipeline);
    }
    if (pipelineLatency != null) {
      pipelineLatency(pipelineLatency);
    }
    if (handoff != null) {
      handoff(handoff, pipeline);
    }
    if (sim != null) {
      sim(sim);
    }
    final Path file = docs.resolve("benchmarks.md");
    Files.writeString(file, md);
    return file;
  }

  /** A time in µs of the result, in ms, or "-" where it has none (its JSON may predate it). */
  private static String microsAsMillis(final JsonNode size, final String field) {
    return size.hasNonNull(field) ? String.format(Locale.ROOT, "%,.1f", size.get(field).asDouble() / 1000) : "-";
  }

  private void scheduler(final Section section) throws IOException {
    md.append("## Scheduler: decision cost as studies grow\n\n").append(command(section));
    md.append("What one report costs the study engine, every store in RocksDB: the mean CPU time over the last "
        + "reports of each study, their median wall time and the longest of them; then the work that a call's "
        + "batch of decisions left for the scheduler's next punctuations (the checkpoints of closed rungs and of "
        + "the ended study, released in batches): how many calls it took and the longest.\n\n");
    md.append("| trials | cost per report (µs) | median (µs) | longest report (ms) | put-off calls | longest put-off "
        + "call (ms) | heap after GC (MB) |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    final List<double[]> cost = new ArrayList<>();
    double first = Double.NaN;
    double last = Double.NaN;
    double lastHeap = Double.NaN;
    long lastTrials = 0;
    for (final JsonNode size : section.result().get("sizes")) {
      final long trials = size.get("trials").asLong();
      final double micros = size.get("costPerReportMicros").asDouble();
      final double heap = size.get("heapMb").asDouble();
      md.append(String.format(Locale.ROOT, "| %,d | %.2f | %s | %s | %s | %s | %.0f |%n", trials, micros,
          size.hasNonNull("p50Micros") ? String.format(Locale.ROOT, "%.2f", size.get("p50Micros").asDouble()) : "-",
          microsAsMillis(size, "maxMicros"),
          size.hasNonNull("putOffCalls") ? String.format(Locale.ROOT, "%,d", size.get("putOffCalls").asLong()) : "-",
          microsAsMillis(size, "putOffMaxMicros"), heap));
      cost.add(new double[] {trials, micros});
      if (Double.isNaN(first)) {
        first = micros;
      }
      last = micros;
      lastHeap = heap;
      lastTrials = trials;
    }
    md.append('\n');
    md.append(target(String.format(Locale.ROOT, "cost per report at %,d trials / at the smallest size", lastTrials),
        last / first, 1.5, false, "%.2fx"));
    md.append(target(String.format(Locale.ROOT, "heap at %,d trials (MB)", lastTrials), lastHeap, 256, false, "%.0f"));
    md.append('\n').append(chart("scheduler-cost.svg", Charts.lines("Cost per report", "trials in the study",
        "microseconds per report", Map.of("ASHA in the study engine on RocksDB", cost), true)));
  }

  private void pipeline(final Section section) {
    final JsonNode r = section.result();
    md.append("## Pipeline: broker, scheduler and runners end to end\n\n").append(command(section));
    md.append("| reports per second | report to job taken by a runner, p50 (ms) | p99 (ms) | "
            + "report to job committed, p50 (ms) | p99 (ms) |\n|---:|---:|---:|---:|---:|\n")
        .append(String.format(Locale.ROOT, "| %,.0f | %.1f | %.1f | %s | %s |%n%n",
            r.get("reportsPerSecond").asDouble(), r.get("reportToJobP50Ms").asDouble(),
            r.get("reportToJobP99Ms").asDouble(), millis(r, "reportToVisibleP50Ms"), millis(r, "reportToVisibleP99Ms")));
    if (r.hasNonNull("studies") && r.hasNonNull("parallelism") && r.hasNonNull("slots")) {
      md.append(String.format(Locale.ROOT, "The studies want up to %,d jobs at once for %d slots, to keep every slot "
              + "busy: a job waits in the share group for a free slot, so the latency to a runner here is mostly "
              + "that queue. The next section measures it with no queue.%n%n",
          r.get("studies").asInt() * r.get("parallelism").asInt(),
          r.path("runners").asInt(1) * r.get("slots").asInt()));
    }
    md.append(target("reports per second", r.get("reportsPerSecond").asDouble(), 20_000, true, "%,.0f"));
    md.append(target("report-to-job p99 (ms)", r.get("reportToJobP99Ms").asDouble(), 100, false, "%.1f"));
    md.append('\n');
    if (r.hasNonNull("schedulerCommitsPerSecond") && r.hasNonNull("commitIntervalMs")) {
      md.append(String.format(Locale.ROOT, "A job reaches the runners only when the scheduler's transaction that "
              + "wrote it commits: the scheduler committed %.1f times a second (`commit.interval.ms` %d)%s.%n%n",
          r.get("schedulerCommitsPerSecond").asDouble(), r.get("commitIntervalMs").asInt(),
          r.hasNonNull("schedulerCommitMs")
              ? String.format(Locale.ROOT, ", each commit taking %.1f ms", r.get("schedulerCommitMs").asDouble())
              : ""));
    }
    if (r.hasNonNull("processCores") && r.hasNonNull("cores") && r.get("reportsPerSecond").asDouble() > 0) {
      final double cores = r.get("processCores").asDouble();
      final double reports = r.get("reportsPerSecond").asDouble();
      final double cpuMs = 1000 * cores / reports;
      md.append(String.format(Locale.ROOT, "Where the time goes: broker, scheduler and runners together used %.2f "
              + "cores, %.2f ms of CPU per report (with %.1f report records per result: started, progress and "
              + "completed). At that cost %d cores cannot exceed %,.0f reports per second; %,.0f per second would "
              + "need at most %.3f ms per report.%n%n", cores, cpuMs,
          r.path("reportRecordsPerSecond").asDouble(Double.NaN) / reports, r.get("cores").asInt(),
          1000 * r.get("cores").asInt() / cpuMs, 20_000.0, 1000.0 * r.get("cores").asInt() / 20_000));
      final JsonNode byPart = r.path("coresByPart");
      if (byPart.size() > 0) {
        md.append("| part | cores | CPU per report (ms) |\n|---|---:|---:|\n");
        byPart.fields().forEachRemaining(part -> md.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f |%n",
            PARTS.getOrDefault(part.getKey(), part.getKey()), part.getValue().asDouble(),
            1000 * part.getValue().asDouble() / reports)));
        md.append('\n');
      }
    }
  }

  /**
   * The pipeline with no more jobs wanted at once than the runners have slots, so that a job never
   * waits for a free slot: its latency is the pipeline's own, not a queue's.
   */
  private void pipelineLatency(final Section section) {
    final JsonNode r = section.result();
    md.append("## Pipeline latency when every job finds a free slot\n\n").append(command(section));
    md.append(String.format(Locale.ROOT, "Here the studies want at most %d jobs at once (%d studies, parallelism "
            + "%d) for %d slots, so no job queues for a slot, and the latency is the pipeline's own: the "
            + "report's way to the scheduler, the scheduler's transaction, the share group's delivery.%n%n",
        r.path("studies").asInt() * r.path("parallelism").asInt(), r.path("studies").asInt(),
        r.path("parallelism").asInt(), r.path("runners").asInt() * r.path("slots").asInt()));
    md.append("| reports per second | report to job taken by a runner, p50 (ms) | p99 (ms) | "
            + "report to job committed, p50 (ms) | p99 (ms) | scheduler commits per second |\n"
            + "|---:|---:|---:|---:|---:|---:|\n")
        .append(String.format(Locale.ROOT, "| %,.0f | %.1f | %.1f | %s | %s | %s |%n%n",
            r.get("reportsPerSecond").asDouble(), r.get("reportToJobP50Ms").asDouble(),
            r.get("reportToJobP99Ms").asDouble(), millis(r, "reportToVisibleP50Ms"), millis(r, "reportToVisibleP99Ms"),
            r.hasNonNull("schedulerCommitsPerSecond")
                ? String.format(Locale.ROOT, "%.1f", r.get("schedulerCommitsPerSecond").asDouble()) : "-"));
    md.append(target(String.format(Locale.ROOT, "report-to-job p99 at %,.0f reports per second (ms)",
        r.get("reportsPerSecond").asDouble()), r.get("reportToJobP99Ms").asDouble(), 100, false, "%.1f"));
    md.append('\n');
  }

  /**
   * The share-group hand-off alone, one row per records-per-poll setting, and what it means for the
   * pipeline measured beside it: the pipeline's rate as a share of the one-record-per-poll floor.
   */
  private void handoff(final Section section, final Section pipeline) {
    md.append("## Share-group hand-off: the floor under the pipeline\n\n").append(command(section));
    md.append("Each result of a study needs one job handed to a runner through the share group and one record "
        + "written back. This loop does only that, with the runner's consumer settings (explicit acknowledgement, "
        + "`record_limit`): no scheduler, no runner logic.\n\n");
    md.append("| records per poll | consumers | in flight | hand-offs per second | send to delivery p50 (ms) | "
        + "p99 (ms) | cores | CPU per hand-off (ms) |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    JsonNode single = null;
    JsonNode batched = null;
    for (final JsonNode run : section.result().get("runs")) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %d | %,.0f | %.1f | %.1f | %.2f | %.3f |%n",
          run.get("recordsPerPoll").asInt(), run.get("consumers").asInt(), run.get("inFlight").asInt(),
          run.get("handoffsPerSecond").asDouble(), run.get("latencyP50Ms").asDouble(),
          run.get("latencyP99Ms").asDouble(), run.get("processCores").asDouble(),
          run.get("cpuMsPerHandoff").asDouble()));
      if (run.get("recordsPerPoll").asInt() == 1) {
        single = run;
      } else if (batched == null || run.get("handoffsPerSecond").asDouble() > batched.get("handoffsPerSecond")
          .asDouble()) {
        batched = run;
      }
    }
    md.append('\n');
    if (single != null) {
      final double floor = single.get("handoffsPerSecond").asDouble();
      md.append(String.format(Locale.ROOT, "A runner's slot polls one record at a time. At that setting Kafka alone "
          + "hands off %,.0f records per second here, at %.3f ms of CPU each", floor,
          single.get("cpuMsPerHandoff").asDouble()));
      if (pipeline != null && pipeline.result().hasNonNull("reportsPerSecond")) {
        final double reports = pipeline.result().get("reportsPerSecond").asDouble();
        md.append(String.format(Locale.ROOT, "; the pipeline's %,.0f results per second are %.0f%% of that", reports,
            100 * reports / floor));
      }
      md.append(String.format(Locale.ROOT, ". 20,000 results per second is %.1f times this floor", 20_000 / floor));
      if (batched != null) {
        md.append(String.format(Locale.ROOT, "; with %d records per poll the same loop hands off %,.0f per second",
            batched.get("recordsPerPoll").asInt(), batched.get("handoffsPerSecond").asDouble()));
      }
      md.append(". Reaching the target would take batched acquisition, which explicit acknowledgement makes "
          + "costly for long jobs: every record a poll returned must be acknowledged before the next poll, so "
          + "a consumer shared by several slots would hold queued jobs it cannot start yet, or release them to be "
          + "delivered again.\n\n");
    }
  }

  /** How the pipeline benchmark's CPU parts read in the report. */
  private static final Map<String, String> PARTS = Map.of(
      "scheduler", "scheduler (Kafka Streams threads and their producers)",
      "broker", "broker (request handlers, network, share-group state, coordinators)",
      "runners", "runners (slots, share consumers, report producer, event follower)",
      "benchmark", "the benchmark's own readers",
      "jvm", "JVM (garbage collection, JIT) and threads ended in the window");

  private void sim(final Section section) throws IOException {
    md.append("## Simulation: quality, utilization and speedup in virtual time\n\n").append(command(section));
    md.append("| method | workers | utilization | time to target (s) | speedup | 95% interval | best objective |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    final Map<String, Map<String, Double>> utilization = new TreeMap<>();
    final Map<String, List<double[]>> speedup = new LinkedHashMap<>();
    for (final JsonNode run : section.result().get("runs")) {
      final String method = run.get("method").asText();
      final int workers = run.get("workers").asInt();
      md.append(String.format(Locale.ROOT, "| %s | %d | %.2f%% | %s | %s | %s | %.5f |%n", method, workers,
          100 * run.get("utilization").asDouble(), number(run.get("timeToTarget"), "%,.0f"),
          number(run.get("speedup"), "%.1fx"), interval(run), run.get("bestObjective").asDouble()));
      utilization.computeIfAbsent(method, m -> new LinkedHashMap<>())
          .put(Integer.toString(workers), 100 * run.get("utilization").asDouble());
      if (run.hasNonNull("speedup")) {
        speedup.computeIfAbsent(method, m -> new ArrayList<>()).add(new double[] {workers, run.get("speedup").asDouble()});
      }
    }
    md.append('\n');
    for (final JsonNode run : section.result().get("runs")) {
      if (run.get("method").asText().equalsIgnoreCase("asha") && run.get("workers").asInt() == 500) {
        md.append(target("ASHA utilization with 500 workers", 100 * run.get("utilization").asDouble(), 99, true,
            "%.2f%%"));
      }
      if (run.get("method").asText().equalsIgnoreCase("asha") && run.get("workers").asInt() == 25
          && run.hasNonNull("speedup")) {
        md.append(target("ASHA time-to-target speedup with 25 workers", run.get("speedup").asDouble(), 20, true,
            "%.1fx"));
      }
    }
    md.append("\nThe speedup divides the mean times to target of the seeds that reached it; its 95% interval is a "
        + "percentile bootstrap over those seeds (2,000 resamples), which shows how much one run of this many seeds "
        + "can be trusted.\n");
    md.append('\n').append(chart("sim-utilization.svg", Charts.bars("Worker utilization", "workers",
        "utilization (%)", utilization)));
    if (!speedup.isEmpty()) {
      md.append(chart("sim-speedup.svg", Charts.lines("Time-to-target speedup over 1 worker", "workers",
          "speedup", speedup, true)));
    }
  }

  /** "12.1x to 22.8x", or "-" where the run has no interval (its JSON may predate it). */
  private static String interval(final JsonNode run) {
    final JsonNode low = run.get("speedupLow");
    final JsonNode high = run.get("speedupHigh");
    if (low == null || high == null || !low.isNumber() || !high.isNumber() || run.get("workers").asInt() == 1) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1fx to %.1fx", low.asDouble(), high.asDouble());
  }

  private String chart(final String name, final String svg) throws IOException {
    Files.writeString(docs.resolve("benchmarks").resolve(name), svg);
    return "![" + name + "](benchmarks/" + name + ")\n\n";
  }

  private String command(final Section section) {
    final StringBuilder line = new StringBuilder("Command: `").append(section.command()).append('`');
    if (section.measuredAt() != null) {
      line.append(", measured ").append(section.measuredAt());
    }
    if (!oneMachine) {
      line.append(", on: ").append(section.machine() == null ? "a machine not recorded" : section.machine());
    }
    return line.append("\n\n").toString();
  }

  /** A line saying whether {@code value} meets the target, and by how much it misses. */
  static String target(final String what, final double value, final double target, final boolean atLeast,
      final String format) {
    final boolean met = atLeast ? value >= target : value <= target;
    final String shown = String.format(Locale.ROOT, format, value);
    final String limit = String.format(Locale.ROOT, format, target);
    if (met) {
      return "- Target met: " + what + " = " + shown + " (" + (atLeast ? "at least " : "at most ") + limit + ").\n";
    }
    final double off = atLeast ? target / value : value / target;
    return String.format(Locale.ROOT, "- **Target missed**: %s = %s (%s %s): off by a factor of %.2f.%n", what, shown,
        atLeast ? "at least" : "at most", limit, off);
  }

  /** A latency of the result, or "-" where it has none (its JSON may predate it). */
  private static String millis(final JsonNode result, final String field) {
    return result.hasNonNull(field) ? String.format(Locale.ROOT, "%.1f", result.get(field).asDouble()) : "-";
  }

  private static String number(final JsonNode node, final String format) {
    return node == null || node.isNull() ? "not reached" : String.format(Locale.ROOT, format, node.asDouble());
  }

  /** This machine, to be saved with what is measured on it. */
  static String machine() {
    final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return String.format(Locale.ROOT, "%d cores, %.0f GiB memory, %s %s; JVM %s %s; Kafka %s.",
        Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.vm.name"),
        System.getProperty("java.version"), org.apache.kafka.common.utils.AppInfoParser.getVersion());
  }
}
