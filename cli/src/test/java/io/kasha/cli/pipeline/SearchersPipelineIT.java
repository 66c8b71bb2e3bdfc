package io.kasha.cli.pipeline;

import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.audit.AshaAudit;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One study per searcher, all at once, through a real broker, the scheduler and share-group runners
 * on the {@code test-bowl} objective (best at x = 0.3). Each study has a conditional parameter
 * ('shift', active only when 'mode' is 'shifted'), which the objective ignores.
 */
class SearchersPipelineIT {

  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(4);

  @TempDir
  Path home;

  @Test
  void everySearcherRunsItsStudyToCompletionUnderTheAshaRule() throws Exception {
    final Map<SamplerKind, StudySpec> studies = new LinkedHashMap<>();
    studies.put(SamplerKind.RANDOM, study(SamplerKind.RANDOM, 12).setPointsToEvaluate(List.of(
        Map.of("x", 0.3, "mode", "shifted", "shift", 0.5), Map.of("x", 0.9, "mode", "plain"))).build());
    studies.put(SamplerKind.GRID, study(SamplerKind.GRID, 100).build());
    studies.put(SamplerKind.SOBOL, study(SamplerKind.SOBOL, 16).build());
    studies.put(SamplerKind.TPE, study(SamplerKind.TPE, 30)
        .setSearchOptions(SearchOptions.newBuilder().setNStartupTrials(8).build()).build());
    studies.put(SamplerKind.EVOLUTION, study(SamplerKind.EVOLUTION, 24)
        .setSearchOptions(SearchOptions.newBuilder().setPopulationSize(6).setTournamentSize(3).build()).build());

    final Map<SamplerKind, List<StudyEvent>> events = new LinkedHashMap<>();
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "searchers", home)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4);
      for (final Map.Entry<SamplerKind, StudySpec> study : studies.entrySet()) {
        pipeline.submit(id(study.getKey()), study.getValue());
      }
      for (final SamplerKind kind : studies.keySet()) {
        events.put(kind, pipeline.awaitEnd(id(kind), STUDY_TIMEOUT));
      }
    }

    events.forEach((kind, log) -> {
      final StudyEvent last = log.get(log.size() - 1);
      assertThat(last.getType()).as(kind.name()).isEqualTo(STUDY_COMPLETED);
      assertThat(last.getStatus()).as(kind.name()).isEqualTo("COMPLETED");
      assertThat(AshaAudit.check(log)).as(kind.name()).isEmpty();
      assertThat(created(log)).as(kind + ": shift only when mode is shifted").allSatisfy(params ->
          assertThat(params.containsKey("shift")).isEqualTo("shifted".equals(params.get("mode"))));
    });
    // warm start: the points come first, in order
    final List<Map<String, Object>> random = created(events.get(SamplerKind.RANDOM));
    assertThat(random).hasSize(12);
    assertThat(random.get(0)).isEqualTo(Map.of("x", 0.3, "mode", "shifted", "shift", 0.5));
    assertThat(random.get(1)).isEqualTo(Map.of("x", 0.9, "mode", "plain"));
    // grid: 3 x values times (plain, or shifted with 2 shifts), each distinct configuration once
    final List<Map<String, Object>> grid = created(events.get(SamplerKind.GRID));
    assertThat(grid).hasSize(9).doesNotHaveDuplicates();
    // Sobol: the first 16 points put one x in each sixteenth of [0, 1]
    final Set<Integer> sixteenths = new HashSet<>();
    created(events.get(SamplerKind.SOBOL)).forEach(p -> sixteenths.add((int) (((Number) p.get("x")).doubleValue() * 16)));
    assertThat(sixteenths).hasSize(16);
    // TPE: after its random start it models the rungs and moves towards x = 0.3
    final List<StudyEvent> tpeCreated = events.get(SamplerKind.TPE).stream()
        .filter(e -> e.getType() == TRIAL_CREATED).toList();
    final List<StudyEvent> modelled = tpeCreated.stream().filter(e -> e.getReason().contains("tpe on rung")).toList();
    assertThat(modelled).hasSizeGreaterThanOrEqualTo(10);
    assertThat(medianDistanceToOptimum(modelled)).isLessThan(0.15)
        .isLessThan(medianDistanceToOptimum(tpeCreated.subList(0, 8)));
    // evolution: once the population is full, children of tournament winners
    assertThat(events.get(SamplerKind.EVOLUTION)).filteredOn(e -> e.getType() == TRIAL_CREATED)
        .anyMatch(e -> e.getReason().contains("(tournament winners)"));
    assertThat(events.get(SamplerKind.EVOLUTION)).filteredOn(e -> e.getType() == RUNG_RESULT).hasSizeGreaterThan(24);
  }

  private static StudySpec.Builder study(final SamplerKind sampler, final int trials) {
    final boolean grid = sampler == SamplerKind.GRID;
    return Pipeline.spec()
        .setName(sampler.name().toLowerCase(java.util.Locale.ROOT))
        .setSampler(sampler)
        .setMaxTrials(trials)
        .setParallelism(3)
        .setParams(List.of(
            ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
                .setGridPoints(grid ? 3 : null).build(),
            ParamSpec.newBuilder().setName("mode").setType(ParamType.CATEGORICAL)
                .setChoices(List.of("plain", "shifted")).build(),
            ParamSpec.newBuilder().setName("shift").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
                .setGridPoints(grid ? 2 : null)
                .setActiveWhen(ParamCondition.newBuilder().setParent("mode").setValues(List.of("shifted")).build())
                .build()));
  }

  private static String id(final SamplerKind kind) {
    return "search-" + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static List<Map<String, Object>> created(final List<StudyEvent> events) {
    return events.stream().filter(e -> e.getType() == TRIAL_CREATED).map(StudyEvent::getParams).toList();
  }

  private static double medianDistanceToOptimum(final List<StudyEvent> created) {
    final double[] distances = created.stream()
        .mapToDouble(e -> Math.abs(((Number) e.getParams().get("x")).doubleValue() - 0.3)).sorted().toArray();
    return distances[distances.length / 2];
  }
}
