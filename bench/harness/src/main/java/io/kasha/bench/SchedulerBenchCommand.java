package io.kasha.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kasha.method.RungSchedule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.rocksdb.RocksDB;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kasha bench scheduler}: the cost of one report (a result recorded and the decisions that
 * follow) and the heap, for ASHA studies of growing size over the real policy and a real RocksDB
 * store. The figures go to stdout (a table, or one JSON object with {@code --json}); progress goes
 * to stderr.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure what one report costs the scheduler, and the heap it needs, as an ASHA study grows.",
        "",
        "For each size in --trials, one study of that many trials runs through the real ASHA policy over a "
            + "RocksDB-backed Kafka Streams key-value store (the store the scheduler uses, without a broker or a "
            + "changelog), with simulated runners: --parallelism jobs in flight, each report completing one of "
            + "them at random with a seeded metric. A report is the policy's record of the result followed by the "
            + "decisions that refill the free slot (promote the best candidate, else start a new trial), exactly "
            + "as the scheduler makes them. The cost per report is the mean CPU time, in the thread that records "
            + "and decides, of the last --window reports of the study, when its rungs are fullest: what a report "
            + "costs whatever else the machine runs (RocksDB's background flushes and compactions aside). Their "
            + "wall time (mean, p50, p99), which counts waits for a core, is shown too. The heap is the heap used "
            + "after a full GC at the end of the study, with its store still open. A throwaway study warms the JIT "
            + "first.",
        "",
        "Targets, printed with the figures and never asserted: the cost per report at the largest size "
            + "(1,000,000 trials) at most 1.5x the cost at the smallest (1,000), since a decision must not get "
            + "dearer as the study grows; and the heap under 256 MB at the largest size, since the rungs live in "
            + "RocksDB, not on the heap. Each is shown as met or MISSED, and by how much.",
        "",
        "Prints a table, or one JSON object with --json: {\"sizes\": [{\"trials\", \"costPerReportMicros\", "
            + "\"heapMb\", ...}], \"targets\": {\"costRatio\": {...}, \"heapMb\": {...}}, ...}. "
            + "Progress goes to stderr. The default sizes take a few minutes on two cores.",
        "",
        "The JMH benchmark of the policy's hot path (record, then the next decision, then the record undone, on "
            + "an in-memory store of a finished study of 1,000 and of 1,000,000 trials) runs with --jmh, or with "
            + "JMH's own options:",
        "  java -cp bench/harness/target/kasha-bench.jar org.openjdk.jmh.Main PolicyBenchmark"},
    footer = {"", "Examples:", "  kasha bench scheduler", "  kasha bench scheduler --trials 1000,2000 --json",
        "  kasha bench scheduler --jmh"})
public final class SchedulerBenchCommand implements Callable<Integer> {

  /** The most the cost per report at the largest size may be, in multiples of the cost at the smallest. */
  static final double COST_RATIO_LIMIT = 1.5;

  /** The heap at the largest size must stay under this. */
  static final double HEAP_LIMIT_MB = 256;

  @Option(names = "--trials", split = ",", paramLabel = "N",
      defaultValue = "1000,10000,100000,1000000", description = "Study sizes (default: ${DEFAULT-VALUE}).")
  List<Long> trials;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(names = "--eta", defaultValue = "3", description = "Reduction factor (default: ${DEFAULT-VALUE}).")
  int eta;

  @Option(names = "--max-resource", defaultValue = "81",
      description = "Resource of the top rung; rungs are 1, eta, eta^2... below it (default: ${DEFAULT-VALUE}).")
  long maxResource;

  @Option(names = "--parallelism", defaultValue = "64", description = "Jobs in flight (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--seed", defaultValue = "42",
      description = "Seed of the simulated metrics (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--window", defaultValue = "10000",
      description = "Measure the last N reports of each study (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--warm-up-trials", defaultValue = "20000",
      description = "Size of the unmeasured study run first, so that the JIT is hot (default: ${DEFAULT-VALUE}).")
  long warmUpTrials;

  @Option(names = "--count-store-operations",
      description = "Turn on RocksDB's statistics and show seeks, reads and skipped internal keys per report.")
  boolean countStoreOperations;

  @Option(names = "--jmh", description = "Instead, run the JMH benchmark of the policy's hot path "
      + "(in-memory store, 1k and 1M trials; fork 1, 2 warm-up and 3 measurement iterations of 1 s).")
  boolean jmh;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws RunnerException {
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    if (jmh) {
      runJmh(out);
      return 0;
    }
    validate();
    final SchedulerBench.Settings settings =
        new SchedulerBench.Settings(eta, maxResource, parallelism, seed, window, warmUpTrials);
    final SchedulerBench bench = new SchedulerBench(settings, countStoreOperations, err);
    bench.warmUp();
    final List<SizeResult> results = new ArrayList<>();
    for (final long size : trials) {
      final SizeResult result = bench.run(size);
      err.printf(Locale.ROOT, "%d trials: %.2f us CPU (%.2f us wall) per report, heap %.1f MB, %.1f s%n",
          result.trials(), result.costPerReportMicros(), result.wallPerReportMicros(), result.heapMb(),
          result.seconds());
      err.flush();
      results.add(result);
    }
    out.println(json ? json(settings, results) : table(settings, results));
    out.flush();
    return 0;
  }

  private void validate() {
    if (trials.isEmpty() || trials.stream().anyMatch(n -> n < 1)) {
      throw new ParameterException(spec.commandLine(), "--trials needs one or more positive sizes");
    }
    if (parallelism < 1 || window < 1 || warmUpTrials < 0) {
      throw new ParameterException(spec.commandLine(),
          "--parallelism and --window must be positive, --warm-up-trials not negative");
    }
    try {
      RungSchedule.of(1, maxResource, eta, 0);
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--eta and --max-resource: " + e.getMessage());
    }
  }

  /** Cost per report of the largest size over the smallest: 1M over 1k with the default sizes. */
  static double ratio(final List<SizeResult> results) {
    return largest(results).costPerReportMicros() / smallest(results).costPerReportMicros();
  }

  /** The targets, by name: {@code costRatio} and {@code heapMb}. */
  static Map<String, Target> targets(final List<SizeResult> results) {
    final Map<String, Target> targets = new LinkedHashMap<>();
    targets.put("costRatio", new Target(String.format(Locale.ROOT, "cost per report at %d trials / at %d trials",
        largest(results).trials(), smallest(results).trials()), ratio(results), COST_RATIO_LIMIT, "x", true));
    targets.put("heapMb", new Target("heap at " + largest(results).trials() + " trials",
        largest(results).heapMb(), HEAP_LIMIT_MB, " MB", false));
    return targets;
  }

  String json(final SchedulerBench.Settings settings, final List<SizeResult> results) {
    final ObjectMapper mapper = new ObjectMapper();
    final ObjectNode root = mapper.createObjectNode();
    final ArrayNode sizes = root.putArray("sizes");
    for (final SizeResult r : results) {
      final ObjectNode size = sizes.addObject()
          .put("trials", r.trials())
          .put("costPerReportMicros", round(r.costPerReportMicros()))
          .put("wallPerReportMicros", round(r.wallPerReportMicros()))
          .put("heapMb", round(r.heapMb()))
          .put("reports", r.reports())
          .put("window", r.window())
          .put("p50Micros", round(r.p50Micros()))
          .put("p99Micros", round(r.p99Micros()))
          .put("maxMicros", round(r.maxMicros()))
          .put("putOffCalls", r.putOffCalls())
          .put("putOffMaxMicros", round(r.putOffMaxMicros()))
          .put("diskMb", round(r.diskMb()))
          .put("seconds", round(r.seconds()));
      if (r.storeCounts() != null) {
        size.putObject("storePerReport")
            .put("seeks", round(r.storeCounts().seeks()))
            .put("reads", round(r.storeCounts().reads()))
            .put("skippedKeys", round(r.storeCounts().skipped()));
      }
      r.rungResults().forEach(size.putArray("rungResults")::add);
      r.rungPromoted().forEach(size.putArray("rungPromoted")::add);
    }
    final ObjectNode targets = root.putObject("targets");
    targets(results).forEach((name, target) -> targets.putObject(name)
        .put("description", target.description())
        .put("measured", target.measured())
        .put("limit", target.limit())
        .put("unit", target.unit().trim())
        .put("met", target.met())
        .put("marginPercent", round(target.marginPercent())));
    final ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors())
        .put("jvm", jvm())
        .put("kafka", AppInfoParser.getVersion())
        .put("rocksdb", rocksdb())
        .put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.putObject("settings")
        .put("eta", settings.eta())
        .put("rungs", resources(settings))
        .put("parallelism", settings.parallelism())
        .put("seed", settings.seed())
        .put("window", settings.window())
        .put("warmUpTrials", settings.warmUpTrials());
    return root.toString();
  }

  String table(final SchedulerBench.Settings settings, final List<SizeResult> results) {
    final StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "ASHA, eta %d, rungs %s, %d jobs in flight, seed %d; figures over the last %d reports of each study%n",
        settings.eta(), resources(settings), settings.parallelism(), settings.seed(), settings.window()));
    out.append(String.format(Locale.ROOT, "%d cores, %s, Kafka Streams %s, RocksDB %s, max heap %d MB%n%n",
        Runtime.getRuntime().availableProcessors(), jvm(), AppInfoParser.getVersion(), rocksdb(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024)));
    out.append(String.format(Locale.ROOT, "%9s %9s %12s %10s %8s %8s %9s %9s %11s %8s %8s %8s",
        "trials", "reports", "us/report", "wall us", "p50 us", "p99 us", "max ms", "put-off", "put-off ms",
        "heap MB", "disk MB", "time s"));
    out.append(countStoreOperations
        ? String.format(Locale.ROOT, " %8s %8s %10s%n", "seeks", "reads", "skipped") : "\n");
    for (final SizeResult r : results) {
      out.append(String.format(Locale.ROOT, "%9d %9d %12.2f %10.2f %8.2f %8.2f %9.1f %9d %11.1f %8.1f %8.1f %8.1f",
          r.trials(), r.reports(), r.costPerReportMicros(), r.wallPerReportMicros(), r.p50Micros(), r.p99Micros(),
          r.maxMicros() / 1000, r.putOffCalls(), r.putOffMaxMicros() / 1000, r.heapMb(), r.diskMb(), r.seconds()));
      final SizeResult.StoreCounts counts = r.storeCounts();
      out.append(counts == null ? "\n" : String.format(Locale.ROOT, " %8.1f %8.1f %10.1f%n",
          counts.seeks(), counts.reads(), counts.skipped()));
    }
    out.append("(us/report: CPU time of the thread that records and decides; wall us, p50 us, p99 us and max ms: wall "
        + "time, waits for a core included; put-off and put-off ms: the calls that did what a call's batch of "
        + "decisions left for the next punctuation -- the checkpoints of closed rungs and of the ended study -- and "
        + "the longest of them)\n");
    if (countStoreOperations) {
      out.append("(RocksDB counters per report over the window: iterator seeks, point reads, and internal keys "
          + "-- deletion markers and overwritten versions -- that iterators stepped over)\n");
    }
    out.append(String.format(Locale.ROOT, "%nTargets:%n"));
    targets(results).values().forEach(target -> out.append("  ").append(target.line()).append('\n'));
    return out.toString().stripTrailing();
  }

  /** JMH's progress goes to stderr, its table to {@code out}. */
  private static void runJmh(final PrintWriter out) throws RunnerException {
    final Runner runner = new Runner(new OptionsBuilder()
        .include(PolicyBenchmark.class.getName())
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .build(), OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL));
    final Collection<RunResult> results = runner.run();
    final ByteArrayOutputStream table = new ByteArrayOutputStream();
    ResultFormatFactory.getInstance(ResultFormatType.TEXT, new PrintStream(table, true, StandardCharsets.UTF_8))
        .writeOut(results);
    out.print(table.toString(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String resources(final SchedulerBench.Settings settings) {
    return settings.schedule().resources().stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  private static String jvm() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
  }

  private static SizeResult smallest(final List<SizeResult> results) {
    return results.stream().min(Comparator.comparingLong(SizeResult::trials)).orElseThrow();
  }

  private static SizeResult largest(final List<SizeResult> results) {
    return results.stream().max(Comparator.comparingLong(SizeResult::trials)).orElseThrow();
  }

  /** RocksDB knows its version only once its native library is loaded, which a run loads but a report need not. */
  private static String rocksdb() {
    RocksDB.loadLibrary();
    return RocksDB.rocksdbVersion().toString();
  }

  private static double round(final double value) {
    return Math.round(value * 100) / 100.0;
  }
}
