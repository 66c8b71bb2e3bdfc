package io.kasha.study;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The ways a fuzzed spec is spoiled, each a change a user or a buggy producer could make and the
 * schema allows: a value out of range, a spec over the scheduler's {@link FuzzCase#LIMITS limits}, a
 * knob of another method or sampler, a broken condition or warm-start point. Some of them leave the
 * spec valid (a knob at its default, a value at the edge of its range); the validator decides.
 */
final class SpecMutations {

  private static final List<BiConsumer<Genes, StudySpec>> ALL = List.of(
      (g, s) -> s.setEta(g.of(1, 0, -3, Integer.MIN_VALUE)),
      (g, s) -> s.setMinResource(g.of(0L, -1L, Long.MIN_VALUE)),
      (g, s) -> s.setMaxResource(s.getMinResource() - g.between(1, 3)),
      (g, s) -> s.setMaxResource(g.of(1_000_000_000_000L, Long.MAX_VALUE, 1L << 40)),
      (g, s) -> s.setEarlyStoppingRate(g.of(-1, 1, 2, 60)),
      (g, s) -> s.setParallelism(g.of(0, -1, FuzzCase.LIMITS.parallelism() + 1, Integer.MAX_VALUE)),
      (g, s) -> s.setMaxTrials(g.of(0, -7, FuzzCase.LIMITS.trials() + 1, Integer.MAX_VALUE)),
      (g, s) -> s.setLeaseMs(g.of(0L, 999L, -1L)),
      (g, s) -> s.setMaxAttempts(g.of(0, -1)),
      (g, s) -> s.setMaxDurationMs(g.of(0L, -5L, 1L)),
      (g, s) -> s.setTarget(g.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0)),
      (g, s) -> s.setMetric(g.of("", " ", "x".repeat(FuzzCase.LIMITS.nameLength() + 1))),
      (g, s) -> s.setEntrypoint(g.of("", "\t", "e".repeat(FuzzCase.LIMITS.nameLength() + g.between(1, 40)))),
      (g, s) -> s.setName("n".repeat(FuzzCase.LIMITS.nameLength() + g.between(1, 40))),
      (g, s) -> s.setResourceName("r".repeat(FuzzCase.LIMITS.nameLength() + 1)),
      (g, s) -> s.setParams(new ArrayList<>()),
      SpecMutations::tooManyParams,
      (g, s) -> withParam(g, s, p -> p.setName(s.getParams().get(0).getName())),
      (g, s) -> withParam(g, s, p -> p.setName(g.of("", " ", "q".repeat(FuzzCase.LIMITS.nameLength() + 1)))),
      (g, s) -> withParam(g, s, p -> {
        p.setLow(g.of(5.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.5, 1e300));
        p.setHigh(g.of(1.0, Double.POSITIVE_INFINITY, 0.25));
      }),
      (g, s) -> withParam(g, s, p -> p.setLog(true)),
      (g, s) -> withParam(g, s, p -> p.setLow(g.of(null, -1.0, 0.0))),
      (g, s) -> withParam(g, s, p -> p.setGridPoints(g.of(0, -1, 10_001, 1))),
      (g, s) -> withParam(g, s, p -> p.setType(g.of(ParamType.values()))),
      (g, s) -> withParam(g, s, p -> p.setChoices(g.percent(50) ? new ArrayList<>()
          : FuzzedSpecs.choices(g, FuzzCase.LIMITS.choices() + g.between(1, 5)))),
      (g, s) -> withParam(g, s, p -> p.setChoices(new ArrayList<>(List.of("x".repeat(600), "y".repeat(600),
          "z".repeat(600), "w".repeat(600), "v".repeat(600), "u".repeat(600), "t".repeat(600))))),
      (g, s) -> s.setSampler(g.of(SamplerKind.GRID, SamplerKind.SOBOL)),
      (g, s) -> withParam(g, s, p -> p.setActiveWhen(ParamCondition.newBuilder()
          .setParent(g.of(p.getName(), "nobody", s.getParams().get(0).getName()))
          .setValues(g.percent(50) ? new ArrayList<>() : new ArrayList<>(List.of(g.of("c0", 1L, 0.5, true))))
          .build())),
      SpecMutations::knobOfAnotherMethod,
      SpecMutations::badKnob,
      (g, s) -> s.setSearchOptions(SearchOptions.newBuilder()
          .setGamma(g.percent(50) ? g.of(0.0, 1.0, 1.5, Double.NaN) : null)
          .setPopulationSize(g.percent(50) ? g.of(1, 0, 100_001) : null)
          .setTournamentSize(g.percent(50) ? g.of(0, 30) : null)
          .setNStartupTrials(g.percent(30) ? g.of(0, -1) : null)
          .setNEiCandidates(g.percent(30) ? g.of(0, 10_001) : null)
          .setMutationProbability(g.percent(30) ? g.of(-0.1, 1.1, Double.NaN) : null)
          .setCrossoverProbability(g.percent(30) ? g.of(2.0, -1.0) : null)
          .build()),
      SpecMutations::badPoint);

  private SpecMutations() {}

  /** Spoils {@code spec} in one of the ways, chosen by the genes. */
  static void apply(final Genes g, final StudySpec spec) {
    ALL.get(g.below(ALL.size())).accept(g, spec);
  }

  private static void withParam(final Genes g, final StudySpec spec, final java.util.function.Consumer<ParamSpec> change) {
    if (!spec.getParams().isEmpty()) {
      change.accept(spec.getParams().get(g.below(spec.getParams().size())));
    }
  }

  private static void tooManyParams(final Genes g, final StudySpec spec) {
    final List<ParamSpec> params = new ArrayList<>(spec.getParams());
    final int count = FuzzCase.LIMITS.params() + g.between(1, 3);
    for (int i = params.size(); i < count; i++) {
      params.add(FuzzedSpecs.param(g, "extra" + i, spec.getSampler()));
    }
    spec.setParams(params);
  }

  private static SchedulerOptions options(final StudySpec spec) {
    if (spec.getSchedulerOptions() == null) {
      spec.setSchedulerOptions(SchedulerOptions.newBuilder().build());
    }
    return spec.getSchedulerOptions();
  }

  /** A knob set that the spec's method may not read (or may: the validator decides). */
  private static void knobOfAnotherMethod(final Genes g, final StudySpec spec) {
    final SchedulerOptions o = options(spec);
    switch (g.below(8)) {
      case 1 -> o.setMinSamples(3);
      case 2 -> o.setPerturbationInterval(1L);
      case 3 -> o.setBrackets(2);
      case 4 -> o.setTies("later");
      case 5 -> o.setObjectives(new ArrayList<>(List.of(
          ObjectiveSpec.newBuilder().setMetric(spec.getMetric()).setMode(spec.getMode()).build(),
          ObjectiveSpec.newBuilder().setMetric("size").setMode(Mode.MIN).build())));
      case 6 -> o.setGracePeriod(1L);
      case 7 -> o.setHyperparamMutations(new ArrayList<>(List.of("p0")));
      default -> o.setMinRungSize(2L);
    }
  }

  /** A knob out of its range or of a value its method does not know. */
  private static void badKnob(final Genes g, final StudySpec spec) {
    final SchedulerOptions o = options(spec);
    switch (g.below(12)) {
      case 1 -> o.setPerturbationInterval(g.of(null, 0L, spec.getMaxResource()));
      case 2 -> o.setCheckpoints(false);
      case 3 -> o.setQuantileFraction(g.of(0.0, 0.9, Double.NaN));
      case 4 -> o.setPerturbationFactors(new ArrayList<>(List.of(g.of(-1.0, 0.0, Double.POSITIVE_INFINITY))));
      case 5 -> o.setHyperparamMutations(new ArrayList<>(List.of("nobody")));
      case 6 -> o.setObjectives(new ArrayList<>(List.of(ObjectiveSpec.newBuilder()
          .setMetric(g.of(spec.getMetric(), "other", "")).setMode(Mode.MAX).build())));
      case 7 -> o.setTieBreak(g.of("bogus", "WEIGHTED_SUM", " crowding_distance "));
      case 8 -> o.setWeights(new ArrayList<>(List.of(g.of(-1.0, Double.NaN, 1.0))));
      case 9 -> o.setBracketRule(g.of("bogus", "Weighted"));
      case 10 -> o.setBrackets(g.of(0, 99, -1));
      case 11 -> o.setMinSamples(g.of(0, -1));
      default -> o.setMinRungSize(g.of(0L, -1L));
    }
  }

  /** A warm-start point that names an unknown parameter, misses one or holds a value out of range. */
  private static void badPoint(final Genes g, final StudySpec spec) {
    final Map<String, Object> point = new LinkedHashMap<>();
    for (final ParamSpec param : spec.getParams()) {
      if (!g.percent(20)) {
        point.put(param.getName(), g.of(1e9, -1L, "nope", true, 0.5, 0L));
      }
    }
    if (g.percent(30)) {
      point.put("unknown", 1L);
    }
    final List<Map<String, Object>> points = new ArrayList<>(spec.getPointsToEvaluate());
    points.add(point);
    spec.setPointsToEvaluate(points);
  }
}
