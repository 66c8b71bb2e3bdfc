package io.kasha.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where the results were measured: the page names it, not the machine that writes the page. */
  private static final String BOX = "64 cores, 256 GiB memory, Linux aarch64; JVM Test VM 17; Kafka 4.3.1.";

  @TempDir
  Path docs;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  private static JsonNode json(final String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void writesEveryTableTheVerdictOnEachTargetAndValidSvgCharts() throws Exception {
    final BenchReport report = new BenchReport(docs);

    final Path file = report.write(
        new BenchReport.Section("kasha bench scheduler --json", json(
            "{'sizes': [{'trials': 1000, 'costPerReportMicros': 20.0, 'heapMb': 40},"
                + " {'trials': 1000000, 'costPerReportMicros': 40.0, 'heapMb': 90}]}"), BOX, "2026-01-02T03:04Z"),
        new BenchReport.Section("kasha bench pipeline --json", json(
            "{'reportsPerSecond': 25000, 'reportToJobP50Ms': 4.0, 'reportToJobP99Ms': 250.0, 'processCores': 1.9,"
                + " 'cores': 2, 'coresByPart': {'scheduler': 0.5, 'broker': 1.0, 'runners': 0.4},"
                + " 'schedulerCommitsPerSecond': 5.4, 'schedulerCommitMs': 6.2, 'commitIntervalMs': 100,"
                + " 'reportToVisibleP50Ms': 3.0, 'reportToVisibleP99Ms': 90.0}"), BOX, null),
        new BenchReport.Section("kasha bench pipeline --studies 4 --json", json(
            "{'reportsPerSecond': 300, 'reportToJobP50Ms': 60.0, 'reportToJobP99Ms': 95.0, 'studies': 4,"
                + " 'parallelism': 8, 'runners': 1, 'slots': 32}"), BOX, null),
        new BenchReport.Section("kasha bench handoff --json", json(
            "{'runs': [{'recordsPerPoll': 1, 'consumers': 32, 'inFlight': 32, 'handoffsPerSecond': 5000,"
                + " 'latencyP50Ms': 9.0, 'latencyP99Ms': 20.0, 'processCores': 1.9, 'cpuMsPerHandoff': 0.38},"
                + " {'recordsPerPoll': 32, 'consumers': 32, 'inFlight': 1024, 'handoffsPerSecond': 100000,"
                + " 'latencyP50Ms': 8.0, 'latencyP99Ms': 18.0, 'processCores': 1.8, 'cpuMsPerHandoff': 0.018}]}"), BOX,
            null),
        new BenchReport.Section("kasha bench sim --json", json(
            "{'runs': [{'method': 'asha', 'workers': 500, 'utilization': 0.995, 'timeToTarget': 100.0,"
                + " 'speedup': null, 'bestObjective': -3.3},"
                + " {'method': 'sha', 'workers': 500, 'utilization': 0.61, 'timeToTarget': null,"
                + " 'speedup': null, 'bestObjective': -3.1}]}"), BOX, null));

    final String md = Files.readString(file);
    assertThat(md).contains("Machine: " + BOX + "\n")
        .contains("Command: `kasha bench scheduler --json`, measured 2026-01-02T03:04Z\n").contains("| 1,000,000 | 40.00 | - | - | - | - | 90 |")
        .contains("**Target missed**: cost per report at 1,000,000 trials / at the smallest size = 2.00x")
        .contains("Target met: heap at 1,000,000 trials (MB) = 90")
        .contains("Target met: reports per second = 25,000")
        .contains("**Target missed**: report-to-job p99 (ms) = 250.0 (at most 100.0): off by a factor of 2.50")
        .contains("Target met: ASHA utilization with 500 workers = 99.50%")
        .contains("| sha | 500 | 61.00% | not reached |")
        .contains("Command: `kasha bench pipeline --json`")
        .contains("| 1 | 32 | 32 | 5,000 | 9.0 | 20.0 | 1.90 | 0.380 |")
        .contains("| 25,000 | 4.0 | 250.0 | 3.0 | 90.0 |")
        .contains("Here the studies want at most 32 jobs at once (4 studies, parallelism 8) for 32 slots")
        .contains("| 300 | 60.0 | 95.0 | - | - | - |")
        .contains("Target met: report-to-job p99 at 300 reports per second (ms) = 95.0 (at most 100.0).")
        .contains("the scheduler committed 5.4 times a second (`commit.interval.ms` 100), each commit taking 6.2 ms.")
        .contains("the pipeline's 25,000 results per second are 500% of that. 20,000 results per second is 4.0 times "
            + "this floor; with 32 records per poll the same loop hands off 100,000 per second")
        .contains("| broker (request handlers, network, share-group state, coordinators) | 1.00 | 0.040 |");
    final DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    for (final String svg : new String[] {"scheduler-cost.svg", "sim-utilization.svg"}) {
      final Path chart = docs.resolve("benchmarks").resolve(svg);
      assertThat(md).contains("(benchmarks/" + svg + ")");
      assertThat(xml.newDocumentBuilder().parse(chart.toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
    }
  }
}
