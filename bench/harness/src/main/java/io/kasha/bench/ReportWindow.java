package io.kasha.bench;

import java.util.Arrays;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;

/**
 * The last {@code size} reports of a study: their wall and CPU times and, when the store's statistics are on,
 * RocksDB's counters over them. Fixed memory whatever the length of the study.
 */
final class ReportWindow {

  private static final TickerType[] COUNTERS =
      {TickerType.NUMBER_DB_SEEK, TickerType.NUMBER_KEYS_READ, TickerType.NUMBER_ITER_SKIP};

  private final long[] costs;
  private final long[] cpuCosts;
  private final Statistics statistics;
  private final long[][] countersBefore;
  private long reports;

  /** @param statistics the store's statistics, or null to count nothing */
  ReportWindow(final int size, final Statistics statistics) {
    this.costs = new long[size];
    this.cpuCosts = new long[size];
    this.statistics = statistics;
    this.countersBefore = statistics == null ? null : new long[COUNTERS.length][size];
  }

  /** Call before each report, outside its timing. */
  void beforeReport() {
    if (statistics != null) {
      final int slot = slot(reports);
      for (int c = 0; c < COUNTERS.length; c++) {
        countersBefore[c][slot] = statistics.getTickerCount(COUNTERS[c]);
      }
    }
  }

  void add(final SimulatedStudy.ReportCost cost) {
    costs[slot(reports)] = cost.wallNanos();
    cpuCosts[slot(reports)] = cost.cpuNanos();
    reports++;
  }

  int length() {
    return (int) Math.min(costs.length, reports);
  }

  /** The wall times in the window, ascending. */
  long[] sortedCosts() {
    final long[] sorted = Arrays.copyOf(costs, length());
    Arrays.sort(sorted);
    return sorted;
  }

  /** The mean CPU time of the reports in the window. */
  double meanCpuNanos() {
    return Arrays.stream(cpuCosts, 0, length()).average().orElse(0);
  }

  /** Counts per report over the window, or null if nothing was counted. */
  SizeResult.StoreCounts storeCounts() {
    if (statistics == null || reports == 0) {
      return null;
    }
    final int oldest = slot(reports - length());
    final double[] perReport = new double[COUNTERS.length];
    for (int c = 0; c < COUNTERS.length; c++) {
      perReport[c] = (statistics.getTickerCount(COUNTERS[c]) - countersBefore[c][oldest]) / (double) length();
    }
    return new SizeResult.StoreCounts(perReport[0], perReport[1], perReport[2]);
  }

  private int slot(final long report) {
    return (int) (report % costs.length);
  }
}
