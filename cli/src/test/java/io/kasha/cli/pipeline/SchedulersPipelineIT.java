package io.kasha.cli.pipeline;

import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_CONTINUED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static io.kasha.schemas.EventType.TRIAL_EXPLOITED;
import static io.kasha.schemas.EventType.TRIAL_FAILED;
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
import io.kasha.schemas.StudySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One study per scheduling rule other than the default, all at once, through a real broker, the
 * scheduler and share-group runners on the {@code test-bowl} objective; each rule's defining
 * property is checked from the study's audit log.
 */
class SchedulersPipelineIT {

  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(4);

  @TempDir
  Path home;

  @Test
  void everyTuningMethodRunsItsStudyToCompletion() throws Exception {
    final Map<SchedulerKind, StudySpec> studies = new LinkedHashMap<>();
    studies.put(SchedulerKind.ASHA_STOPPING, study(SchedulerKind.ASHA_STOPPING, 12, null).build());
    studies.put(SchedulerKind.ASYNC_HYPERBAND, study(SchedulerKind.ASYNC_HYPERBAND, 12, null).build());
    studies.put(SchedulerKind.HYPERBAND_STOPPING, study(SchedulerKind.HYPERBAND_STOPPING, 12,
        SchedulerOptions.newBuilder().setBrackets(2).build()).build());
    studies.put(SchedulerKind.MEDIAN_STOPPING, study(SchedulerKind.MEDIAN_STOPPING, 10,
        SchedulerOptions.newBuilder().setMinSamples(2).build()).setMaxResource(5).build());
    studies.put(SchedulerKind.PBT, study(SchedulerKind.PBT, 6,
        SchedulerOptions.newBuilder().setPerturbationInterval(3L).setQuantileFraction(0.5).build())
        .setParallelism(6).build());
    studies.put(SchedulerKind.MO_ASHA, study(SchedulerKind.MO_ASHA, 12, SchedulerOptions.newBuilder()
        .setObjectives(List.of(objective("loss"), objective("size"))).build()).build());
    studies.put(SchedulerKind.SHA, study(SchedulerKind.SHA, 9, null).build());
    studies.put(SchedulerKind.HYPERBAND, study(SchedulerKind.HYPERBAND, 17, null).build());

    final Map<SchedulerKind, List<StudyEvent>> events = new LinkedHashMap<>();
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "schedulers", home)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(6);
      for (final Map.Entry<SchedulerKind, StudySpec> study : studies.entrySet()) {
        pipeline.submit(id(study.getKey()), study.getValue());
      }
      for (final SchedulerKind kind : studies.keySet()) {
        events.put(kind, pipeline.awaitEnd(id(kind), STUDY_TIMEOUT));
      }
    }

    events.forEach((kind, log) -> {
      final StudyEvent last = log.get(log.size() - 1);
      assertThat(last.getType()).as(kind.name()).isEqualTo(STUDY_COMPLETED);
      assertThat(last.getStatus()).as(kind.name()).isEqualTo("COMPLETED");
      assertThat(of(log, TRIAL_FAILED)).as(kind.name()).isEmpty();
    });
    stoppingVariantContinuesOnlyTheTopThirdSoFar(events.get(SchedulerKind.ASHA_STOPPING));
    hyperbandLoopsTrialsOverBrackets(events.get(SchedulerKind.ASYNC_HYPERBAND), List.of(1L, 3L, 9L));
    hyperbandLoopsTrialsOverBrackets(events.get(SchedulerKind.HYPERBAND_STOPPING), List.of(1L, 3L));
    assertThat(of(events.get(SchedulerKind.HYPERBAND_STOPPING), TRIAL_PROMOTED)).isEmpty();
    medianRuleStopsOnlyTrialsWorseThanTheMedian(events.get(SchedulerKind.MEDIAN_STOPPING));
    pbtExploitsResumeFromTheDonorAndFinish(events.get(SchedulerKind.PBT));
    moAshaEndsWithTheParetoFrontOfItsTopRung(events.get(SchedulerKind.MO_ASHA));
    synchronousRungsHoldTheBracketTable(events.get(SchedulerKind.SHA), new int[] {9},
        List.of(List.of("9/1", "3/3", "1/9")));
    synchronousRungsHoldTheBracketTable(events.get(SchedulerKind.HYPERBAND), new int[] {9, 14, 17},
        List.of(List.of("9/1", "3/3", "1/9"), List.of("5/3", "1/9"), List.of("3/9")));
  }

  /**
   * Synchronous SHA and Hyperband: trial i belongs to the bracket whose last trial index is the first
   * of {@code ends} at or above i; each bracket's rungs hold the table's n_i/r_i results, and every
   * promotion comes after every result of its rung.
   */
  private static void synchronousRungsHoldTheBracketTable(
      final List<StudyEvent> log, final int[] ends, final List<List<String>> table) {
    final java.util.function.ToIntFunction<String> bracketOf = trialId -> {
      final int index = Integer.parseInt(trialId.substring(trialId.lastIndexOf('t') + 1));
      int b = 0;
      while (index > ends[b]) {
        b++;
      }
      return b;
    };
    final List<StudyEvent> results = of(log, RUNG_RESULT);
    final List<List<String>> rungs = new ArrayList<>();
    for (int b = 0; b < ends.length; b++) {
      final int bracket = b;
      final Map<Long, Long> counts = new java.util.TreeMap<>();
      results.stream().filter(e -> bracketOf.applyAsInt(e.getTrialId()) == bracket)
          .forEach(e -> counts.merge(e.getResource(), 1L, Long::sum));
      rungs.add(counts.entrySet().stream().map(e -> e.getValue() + "/" + e.getKey()).toList());
    }
    assertThat(rungs).isEqualTo(table);
    for (final StudyEvent promotion : of(log, TRIAL_PROMOTED)) {
      final int bracket = bracketOf.applyAsInt(promotion.getTrialId());
      assertThat(results).filteredOn(e -> bracketOf.applyAsInt(e.getTrialId()) == bracket
          && e.getResource() == promotion.getResource()).allMatch(e -> e.getSeq() < promotion.getSeq());
    }
    assertThat(of(log, EventType.TRIAL_COMPLETED)).hasSize(table.stream().mapToInt(rows -> Integer.parseInt(
        rows.get(rows.size() - 1).split("/")[0])).sum());
  }

  /** Each result below the top continues iff it ranks within ceil(n / 3) of the rung's n results so far. */
  private static void stoppingVariantContinuesOnlyTheTopThirdSoFar(final List<StudyEvent> log) {
    final Map<Integer, List<Double>> rungs = new HashMap<>();
    for (final StudyEvent result : of(log, RUNG_RESULT)) {
      if (result.getRung() == 2) {
        continue;
      }
      final List<Double> rung = rungs.computeIfAbsent(result.getRung(), k -> new ArrayList<>());
      rung.add(result.getMetric());
      final long rank = rung.stream().filter(m -> m < result.getMetric()).count() + 1;
      assertThat(verdictAfter(log, result)).as(result.toString())
          .isEqualTo(rank <= (rung.size() + 2) / 3 ? TRIAL_CONTINUED : TRIAL_STOPPED);
    }
    assertThat(of(log, TRIAL_STOPPED)).isNotEmpty();
    assertThat(of(log, TRIAL_PROMOTED)).isEmpty();
  }

  /** The n-th new trial's first segment ends at the first rung of bracket n mod brackets. */
  private static void hyperbandLoopsTrialsOverBrackets(final List<StudyEvent> log, final List<Long> firstRungs) {
    final List<StudyEvent> created = of(log, TRIAL_CREATED);
    assertThat(created).hasSize(12);
    for (int i = 0; i < created.size(); i++) {
      assertThat(created.get(i).getResource()).as("trial %d", i + 1).isEqualTo(firstRungs.get(i % firstRungs.size()));
    }
  }

  /** A trial is stopped at step t iff its best is worse than the median of the others' running averages to t. */
  private static void medianRuleStopsOnlyTrialsWorseThanTheMedian(final List<StudyEvent> log) {
    final Map<String, Map<Long, Double>> seen = new HashMap<>();
    for (final StudyEvent result : of(log, RUNG_RESULT)) {
      final long step = result.getResource();
      final Map<Long, Double> mine = seen.computeIfAbsent(result.getTrialId(), k -> new HashMap<>());
      mine.put(step, result.getMetric());
      final List<Double> averages = seen.entrySet().stream()
          .filter(e -> !e.getKey().equals(result.getTrialId()) && e.getValue().keySet().stream().anyMatch(s -> s >= step))
          .map(e -> e.getValue().entrySet().stream().filter(r -> r.getKey() <= step)
              .mapToDouble(Map.Entry::getValue).average().orElseThrow())
          .sorted().toList();
      final double best = mine.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      final int n = averages.size();
      final boolean stop = n >= 2
          && best > (n % 2 == 1 ? averages.get(n / 2) : (averages.get(n / 2 - 1) + averages.get(n / 2)) / 2);
      if (step < 5) {
        assertThat(verdictAfter(log, result)).as(result.toString()).isEqualTo(stop ? TRIAL_STOPPED : TRIAL_CONTINUED);
      }
    }
    assertThat(of(log, TRIAL_STOPPED)).isNotEmpty();
  }

  /** Every exploit names its donor, and the trial's next segment (resumed from the donor's checkpoint) completes. */
  private static void pbtExploitsResumeFromTheDonorAndFinish(final List<StudyEvent> log) {
    final List<StudyEvent> exploits = of(log, TRIAL_EXPLOITED);
    assertThat(exploits).isNotEmpty();
    for (final StudyEvent exploit : exploits) {
      assertThat(exploit.getDonorTrialId()).isNotEqualTo(exploit.getTrialId());
      assertThat(exploit.getReason()).contains("copies " + exploit.getDonorTrialId());
      assertThat(log).anyMatch(e -> e.getType() == RUNG_RESULT && e.getSeq() > exploit.getSeq()
          && e.getTrialId().equals(exploit.getTrialId()) && e.getRung() == exploit.getRung() + 1
          && e.getParams().equals(exploit.getParams()));
    }
    assertThat(of(log, EventType.TRIAL_COMPLETED)).hasSize(6);
  }

  /** The completed event's front is exactly the non-dominated results of the highest rung. */
  private static void moAshaEndsWithTheParetoFrontOfItsTopRung(final List<StudyEvent> log) {
    final List<ParetoPoint> front = log.get(log.size() - 1).getParetoFront();
    assertThat(front).isNotEmpty();
    final int top = front.get(0).getRung();
    final List<Map<String, Double>> results = of(log, RUNG_RESULT).stream().filter(e -> e.getRung() == top)
        .map(StudyEvent::getMetrics).toList();
    final List<Map<String, Double>> nonDominated = results.stream()
        .filter(r -> results.stream().noneMatch(o -> dominates(o, r))).toList();
    assertThat(front).extracting(ParetoPoint::getMetrics).containsExactlyInAnyOrderElementsOf(nonDominated);
    assertThat(of(log, TRIAL_PROMOTED)).isNotEmpty();
  }

  private static boolean dominates(final Map<String, Double> a, final Map<String, Double> b) {
    return a.get("loss") <= b.get("loss") && a.get("size") <= b.get("size")
        && (a.get("loss") < b.get("loss") || a.get("size") < b.get("size"));
  }

  private static EventType verdictAfter(final List<StudyEvent> log, final StudyEvent result) {
    return log.stream()
        .filter(e -> e.getSeq() > result.getSeq() && result.getTrialId().equals(e.getTrialId())
            && (e.getType() == TRIAL_CONTINUED || e.getType() == TRIAL_STOPPED))
        .findFirst().map(StudyEvent::getType).orElse(null);
  }

  private static List<StudyEvent> of(final List<StudyEvent> log, final EventType type) {
    return log.stream().filter(e -> e.getType() == type).toList();
  }

  private static StudySpec.Builder study(final SchedulerKind kind, final int trials, final SchedulerOptions options) {
    return Pipeline.spec()
        .setName(kind.name().toLowerCase(Locale.ROOT))
        .setScheduler(kind)
        .setSchedulerOptions(options)
        .setMaxTrials(trials)
        .setParallelism(3);
  }

  private static ObjectiveSpec objective(final String metric) {
    return ObjectiveSpec.newBuilder().setMetric(metric).setMode(Mode.MIN).build();
  }

  private static String id(final SchedulerKind kind) {
    return "sched-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
