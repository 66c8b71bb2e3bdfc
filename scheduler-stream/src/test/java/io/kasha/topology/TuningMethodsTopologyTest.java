package io.kasha.topology;

import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_ACCEPTED;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_CONTINUED;
import static io.kasha.schemas.EventType.TRIAL_EXPLOITED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static io.kasha.schemas.EventType.TRIAL_STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each scheduling rule run by the topology, checked against its definition from the audit log. */
class TuningMethodsTopologyTest {

  @TempDir
  Path stateDir;

  private SchedulerHarness harness;

  @BeforeEach
  void start() {
    harness = new SchedulerHarness(stateDir);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static double x(final TrialJob job) {
    return ((Number) job.getParams().get("x")).doubleValue();
  }

  private static double bowl(final TrialJob job) {
    return (x(job) - 0.3) * (x(job) - 0.3) + 1.0 / job.getResourceTo();
  }

  @Test
  void theStoppingVariantContinuesExactlyTheTrialsInTheTopThirdOfTheirRungSoFar() {
    harness.create("stop", SchedulerHarness.spec().setScheduler(SchedulerKind.ASHA_STOPPING).setMaxTrials(20).build());

    harness.runToCompletion(TuningMethodsTopologyTest::bowl, pending -> pending);

    final List<StudyEvent> events = harness.events(RUNG_RESULT);
    final Map<Integer, List<Double>> rungs = new HashMap<>();
    int judged = 0;
    for (final StudyEvent result : events) {
      if (result.getRung() == 3) {
        continue;
      }
      final List<Double> rung = rungs.computeIfAbsent(result.getRung(), k -> new ArrayList<>());
      rung.add(result.getMetric());
      final long better = rung.stream().filter(m -> m < result.getMetric()).count();
      final boolean inTop = better + 1 <= (rung.size() + 2) / 3;
      assertThat(verdictAfter(result)).as(result.toString()).isEqualTo(inTop ? TRIAL_CONTINUED : TRIAL_STOPPED);
      judged++;
    }
    assertThat(judged).isGreaterThan(20);
    assertThat(harness.events(TRIAL_PROMOTED)).isEmpty();
    assertThat(harness.events(TRIAL_STOPPED)).isNotEmpty();
    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("COMPLETED"));
  }

  @Test
  void asyncHyperbandLoopsNewTrialsOverItsBracketsAndPromotesWithinEach() {
    harness.create("hb", SchedulerHarness.spec().setScheduler(SchedulerKind.ASYNC_HYPERBAND).setMaxTrials(16).build());
    final Map<String, Long> firstResource = new HashMap<>();

    harness.runToCompletion(job -> {
      firstResource.putIfAbsent(job.getTrialId(), job.getResourceTo());
      return bowl(job);
    }, pending -> pending);

    for (int i = 1; i <= 16; i++) {
      assertThat(firstResource.get("hb-t" + i)).as("trial %d", i).isEqualTo(List.of(1L, 3L, 9L, 27L).get((i - 1) % 4));
    }
    assertThat(harness.events(TRIAL_PROMOTED)).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getReason()).contains("bracket " + bracketOf(e.getTrialId())));
    assertThat(harness.events(STUDY_ACCEPTED).get(0).getReason()).startsWith("async_hyperband: 4 brackets");
  }

  @Test
  void theMedianRuleStopsATrialWhoseBestIsWorseThanTheMedianOfTheOthersRunningAverages() {
    harness.create("med", SchedulerHarness.spec().setScheduler(SchedulerKind.MEDIAN_STOPPING).setMaxResource(6)
        .setMaxTrials(12).setSchedulerOptions(SchedulerOptions.newBuilder().setMinSamples(2).build()).build());

    harness.runToCompletion(TuningMethodsTopologyTest::bowl, pending -> pending);

    final Map<String, Map<Long, Double>> seen = new HashMap<>();
    for (final StudyEvent result : harness.events(RUNG_RESULT)) {
      final long step = result.getResource();
      final Map<Long, Double> mine = seen.computeIfAbsent(result.getTrialId(), k -> new java.util.TreeMap<>());
      mine.put(step, result.getMetric());
      final List<Double> averages = seen.entrySet().stream()
          .filter(e -> !e.getKey().equals(result.getTrialId()) && e.getValue().keySet().stream().anyMatch(s -> s >= step))
          .map(e -> e.getValue().entrySet().stream().filter(r -> r.getKey() <= step)
              .mapToDouble(Map.Entry::getValue).average().orElseThrow())
          .sorted().toList();
      final double best = mine.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      final boolean stop = averages.size() >= 2 && best > median(averages);
      if (step < 6) {
        assertThat(verdictAfter(result)).as(result.toString()).isEqualTo(stop ? TRIAL_STOPPED : TRIAL_CONTINUED);
      }
    }
    assertThat(harness.events(TRIAL_STOPPED)).isNotEmpty();
    assertThat(harness.events(RUNG_RESULT)).extracting(StudyEvent::getResource).contains(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void pbtExploitsResumeFromTheDonorsCheckpointWithTheExploredParametersAndLogTheLineage() {
    harness.create("pbt", SchedulerHarness.spec().setScheduler(SchedulerKind.PBT).setMaxResource(12).setMaxTrials(8)
        .setParallelism(8).setSchedulerOptions(SchedulerOptions.newBuilder().setPerturbationInterval(3L).build())
        .build());
    final List<TrialJob> jobs = new ArrayList<>();

    harness.runToCompletion(job -> {
      jobs.add(job);
      return bowl(job);
    }, pending -> pending);

    final List<StudyEvent> exploits = harness.events(TRIAL_EXPLOITED);
    assertThat(exploits).isNotEmpty();
    for (final StudyEvent exploit : exploits) {
      final TrialJob next = jobs.stream()
          .filter(j -> j.getTrialId().equals(exploit.getTrialId()) && j.getJobId().contains("-g")
              && j.getResourceFrom() == exploit.getResource())
          .findFirst().orElseThrow();
      assertThat(next.getCheckpointIn())
          .isEqualTo("file:///ckpt/" + exploit.getDonorTrialId() + "/" + exploit.getResource());
      assertThat(next.getParams()).isEqualTo(exploit.getParams());
      assertThat(next.getCheckpointName()).as("a name of its own, apart from its pre-exploit checkpoints")
          .startsWith(exploit.getTrialId() + "-g");
      assertThat(exploit.getReason()).contains("copies " + exploit.getDonorTrialId()).contains(" -> ");
    }
    assertThat(jobs).extracting(TrialJob::getResourceTo).containsOnly(3L, 6L, 9L, 12L);
    assertThat(harness.events(EventType.TRIAL_COMPLETED)).hasSize(8);
  }

  @Test
  void multiObjectiveStudiesRankByParetoFrontAndEndWithTheFront() {
    harness.create("mo", SchedulerHarness.spec().setScheduler(SchedulerKind.MO_ASHA).setMaxResource(9)
        .setMaxTrials(18).setSchedulerOptions(SchedulerOptions.newBuilder().setObjectives(List.of(
            ObjectiveSpec.newBuilder().setMetric("loss").setMode(Mode.MIN).build(),
            ObjectiveSpec.newBuilder().setMetric("size").setMode(Mode.MIN).build())).build())
        .build());

    harness.runToCompletionWith(job -> Map.of("loss", bowl(job), "size", x(job)));

    assertThat(harness.events(RUNG_RESULT)).allSatisfy(e -> assertThat(e.getMetrics()).containsKeys("loss", "size"));
    assertThat(harness.events(TRIAL_PROMOTED)).isNotEmpty();
    final StudyEvent completed = harness.events(STUDY_COMPLETED).get(0);
    final List<ParetoPoint> front = completed.getParetoFront();
    assertThat(front).isNotEmpty();
    final int top = front.get(0).getRung();
    final List<StudyEvent> topResults = harness.events(RUNG_RESULT).stream().filter(e -> e.getRung() == top).toList();
    for (final ParetoPoint point : front) {
      assertThat(topResults).noneMatch(other -> dominates(other.getMetrics(), point.getMetrics()));
    }
    assertThat(topResults.stream().filter(r -> front.stream().noneMatch(p -> dominates(p.getMetrics(), r.getMetrics()))))
        .hasSize(front.size());
  }

  private EventType verdictAfter(final StudyEvent result) {
    return harness.events(null).stream()
        .filter(e -> e.getSeq() > result.getSeq() && result.getTrialId().equals(e.getTrialId())
            && (e.getType() == TRIAL_CONTINUED || e.getType() == TRIAL_STOPPED))
        .findFirst().map(StudyEvent::getType).orElse(null);
  }

  private int bracketOf(final String trialId) {
    return (Integer.parseInt(trialId.substring(trialId.lastIndexOf('t') + 1)) - 1) % 4;
  }

  private static double median(final List<Double> sorted) {
    final int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static boolean dominates(final Map<String, Double> a, final Map<String, Double> b) {
    return a.get("loss") <= b.get("loss") && a.get("size") <= b.get("size")
        && (a.get("loss") < b.get("loss") || a.get("size") < b.get("size"));
  }
}
