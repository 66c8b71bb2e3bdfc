package io.kasha.bench;

import java.util.List;

/**
 * What one study size measured.
 *
 * @param trials the study's trial budget, all of which ran
 * @param reports the reports the study took, over every rung
 * @param window how many of the last reports the costs are taken over
 * @param costPerReportMicros mean CPU time of a report (record and decisions) over the window, in the
 *     thread that makes them: what the report costs, whatever else the machine runs
 * @param wallPerReportMicros mean wall time of a report over the window, waits for a core included
 * @param p50Micros median wall time of a report over the window
 * @param p99Micros 99th percentile of the wall time of a report over the window
 * @param maxMicros the longest wall time of a report over the window
 * @param putOffCalls the calls that did work a call's batch of decisions put off (the checkpoints of
 *     closed rungs and of the ended study), which the scheduler does at its punctuations
 * @param putOffMaxMicros the longest wall time of such a call
 * @param heapMb heap used after a full GC at the end of the study, with its store still open
 * @param diskMb the store's files at the end of the study
 * @param seconds wall time of the whole study
 * @param rungResults results per rung at the end, rung 0 first
 * @param rungPromoted promotions out of each rung at the end, rung 0 first
 * @param storeCounts what RocksDB did per report over the window, or null if it was not counted
 */
record SizeResult(
    long trials, long reports, int window, double costPerReportMicros, double wallPerReportMicros,
    double p50Micros, double p99Micros, double maxMicros, long putOffCalls, double putOffMaxMicros,
    double heapMb, double diskMb, double seconds, List<Long> rungResults, List<Long> rungPromoted,
    StoreCounts storeCounts) {

  /**
   * RocksDB's own counters, per report.
   *
   * @param seeks iterator seeks
   * @param reads point reads
   * @param skipped internal keys (deletion markers, overwritten versions) iterators stepped over
   */
  record StoreCounts(double seeks, double reads, double skipped) {}

  SizeResult {
    rungResults = List.copyOf(rungResults);
    rungPromoted = List.copyOf(rungPromoted);
  }
}
