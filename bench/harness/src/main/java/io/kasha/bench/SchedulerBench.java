package io.kasha.bench;

import io.kasha.method.AshaPolicy;
import io.kasha.method.Direction;
import io.kasha.method.RungSchedule;
import io.kasha.store.OrderedStore;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.Statistics;

/**
 * Runs one ASHA study per size through the real policy over a fresh RocksDB store, and measures the
 * cost of a report in the steady state at the end of the study and the heap the study leaves.
 */
final class SchedulerBench {

  /**
   * @param window the number of last reports whose costs are measured (all of them if fewer)
   * @param warmUpTrials the size of the throwaway study that makes the JIT hot before any measurement
   */
  record Settings(int eta, long maxResource, int parallelism, long seed, int window, long warmUpTrials) {

    RungSchedule schedule() {
      return RungSchedule.of(1, maxResource, eta, 0);
    }
  }

  private static final long PROGRESS_FROM_TRIALS = 100_000;
  private static final double MICROS_PER_NANO = 1e-3;
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  private final Settings settings;
  private final boolean countStoreOperations;
  private final PrintWriter progress;

  /**
   * @param countStoreOperations turn on RocksDB's statistics and report its seeks, reads and skipped
   *     keys per report (the counting costs a little time)
   * @param progress where the percentage done of long sizes goes
   */
  SchedulerBench(final Settings settings, final boolean countStoreOperations, final PrintWriter progress) {
    this.settings = settings;
    this.countStoreOperations = countStoreOperations;
    this.progress = progress;
  }

  /** Runs a throwaway study on a throwaway store, so that the measured sizes run compiled code. */
  void warmUp() {
    if (settings.warmUpTrials() > 0) {
      run(settings.warmUpTrials(), "warm-up");
    }
  }

  SizeResult run(final long trials) {
    return run(trials, trials + " trials");
  }

  private SizeResult run(final long trials, final String label) {
    final long startNanos = System.nanoTime();
    final AtomicReference<Statistics> statistics = new AtomicReference<>();
    final Map<String, Object> config = countStoreOperations
        ? RocksDbStatistics.config(statistics::set) : Map.of();
    try (ScratchRocksDbStore store = ScratchRocksDbStore.open("bench-rungs", config)) {
      final SimulatedStudy study = new SimulatedStudy(store.orderedStore(), settings.schedule(),
          settings.eta(), trials, settings.parallelism(), settings.seed());
      final ReportWindow window = new ReportWindow(settings.window(), statistics.get());
      final Progress progress = new Progress(label, trials >= PROGRESS_FROM_TRIALS);
      final PutOffWork putOff = new PutOffWork();
      while (study.running()) {
        if (study.jobInFlight()) {
          window.beforeReport();
          window.add(study.report());
        }
        if (study.putOffWorkDue()) {
          putOff.add(study.continuePutOffWork());
        }
        progress.update(study.created(), trials);
      }
      progress.done();
      final double heapMb = heapAfterFullGc() / BYTES_PER_MB;
      final double diskMb = store.diskBytes() / BYTES_PER_MB;
      return result(trials, study, store.orderedStore(), window, putOff, heapMb, diskMb,
          (System.nanoTime() - startNanos) * 1e-9);
    }
  }

  /** The calls that did work put off beyond a call's batch, as the scheduler's punctuations do it. */
  private static final class PutOffWork {
    private long calls;
    private long longestNanos;

    void add(final SimulatedStudy.ReportCost cost) {
      calls++;
      longestNanos = Math.max(longestNanos, cost.wallNanos());
    }
  }

  private SizeResult result(final long trials, final SimulatedStudy study, final OrderedStore store,
      final ReportWindow window, final PutOffWork putOff,
      final double heapMb, final double diskMb, final double seconds) {
    final long[] costs = window.sortedCosts();
    final double wall = Arrays.stream(costs).average().orElse(0) * MICROS_PER_NANO;
    final AshaPolicy policy = new AshaPolicy(store, SimulatedStudy.STUDY_ID, settings.schedule(), settings.eta(),
        Direction.MINIMIZE);
    final List<Long> results = new ArrayList<>();
    final List<Long> promoted = new ArrayList<>();
    for (int rung = 0; rung < settings.schedule().size(); rung++) {
      results.add(policy.results(rung));
      promoted.add(policy.promoted(rung));
    }
    return new SizeResult(trials, study.reports(), costs.length, window.meanCpuNanos() * MICROS_PER_NANO, wall,
        percentile(costs, 0.50) * MICROS_PER_NANO, percentile(costs, 0.99) * MICROS_PER_NANO,
        (costs.length == 0 ? 0 : costs[costs.length - 1]) * MICROS_PER_NANO,
        putOff.calls, putOff.longestNanos * MICROS_PER_NANO,
        heapMb, diskMb, seconds, results, promoted, window.storeCounts());
  }

  private static long percentile(final long[] sorted, final double fraction) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  }

  private static long heapAfterFullGc() {
    final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Percent done on one line, rewritten in place. */
  private final class Progress {
    private final String label;
    private final boolean shown;
    private long lastPercent = -1;

    Progress(final String label, final boolean shown) {
      this.label = label;
      this.shown = shown;
    }

    void update(final long done, final long total) {
      final long percent = done * 100 / total;
      if (shown && percent != lastPercent) {
        lastPercent = percent;
        progress.printf(Locale.ROOT, "\r%s: %d%%", label, percent);
        progress.flush();
      }
    }

    void done() {
      if (shown && lastPercent >= 0) {
        progress.printf(Locale.ROOT, "\r%s: done%n", label);
        progress.flush();
      }
    }
  }
}
