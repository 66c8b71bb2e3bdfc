package io.kasha.study;

import io.kasha.method.Bracket;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema-valid study specs decoded from {@link Genes}: first a spec that every tuning method and
 * sampler can run (its method's knobs only, the required ones set, sizes small enough to be played
 * to the end in milliseconds), then, in about half of them, one to three {@link SpecMutations} that
 * put a value out of range, over a {@link FuzzCase#LIMITS limit}, or in the wrong place. Whether a
 * spec is valid is never decided here: the property compares the engine with the validator.
 */
final class FuzzedSpecs {

  private FuzzedSpecs() {}

  static StudySpec decode(final Genes g) {
    final SchedulerKind kind = g.of(SchedulerKind.values());
    final SamplerKind sampler = g.of(SamplerKind.values());
    final int eta = g.between(2, 4);
    final long min = g.between(1, 4);
    final long max = min * switch (kind) {
      case MEDIAN_STOPPING -> g.between(1, 12);
      case PBT -> g.between(2, 30);
      case SHA, HYPERBAND -> g.between(1, eta * eta);
      default -> g.between(1, 81);
    };
    // the synchronous methods need a whole first bracket of trials: at most eta^2 here
    final int fewestTrials = kind == SchedulerKind.SHA || kind == SchedulerKind.HYPERBAND
        ? (int) Bracket.hyperband(min, max, eta).get(0).n() : 1;
    final List<ParamSpec> params = params(g, sampler);
    final StudySpec spec = StudySpec.newBuilder()
        .setName(g.of("fuzz", "a", "study-" + g.below(1000)))
        .setMetric("loss")
        .setMode(g.of(Mode.MIN, Mode.MAX))
        .setEntrypoint(g.of("train", "objective"))
        .setParams(params)
        .setSampler(sampler)
        .setSeed(g.below(Integer.MAX_VALUE) - (long) g.below(Integer.MAX_VALUE))
        .setResourceName(g.of("epoch", "step"))
        .setMinResource(min)
        .setMaxResource(max)
        .setEta(eta)
        .setEarlyStoppingRate(earlyStopping(g, kind, min, max, eta))
        .setParallelism(g.between(1, 8))
        .setMaxTrials(g.between(fewestTrials, Math.max(fewestTrials, 24)))
        .setMaxDurationMs(g.percent(15) ? (long) g.between(1, 600_000) : null)
        .setTarget(g.percent(10) ? g.unit() * 2 - 0.5 : null)
        .setLeaseMs(g.between(1000, 120_000))
        .setMaxAttempts(g.between(1, 3))
        .setPointsToEvaluate(g.percent(15) ? points(g, params) : new ArrayList<>())
        .setSearchOptions(g.percent(40) ? searchOptions(g, sampler) : null)
        .setScheduler(kind)
        .setKeepCheckpoints(g.percent(20))
        .build();
    spec.setSchedulerOptions(schedulerOptions(g, spec));
    if (g.percent(50)) {
      final int count = g.between(1, 3);
      for (int i = 0; i < count; i++) {
        SpecMutations.apply(g, spec);
      }
    }
    return spec;
  }

  private static int earlyStopping(final Genes g, final SchedulerKind kind, final long min, final long max,
      final int eta) {
    final boolean reads = kind == SchedulerKind.ASHA || kind == SchedulerKind.ASHA_STOPPING
        || kind == SchedulerKind.MO_ASHA;
    return reads && min * eta <= max && g.percent(25) ? 1 : 0;
  }

  private static List<ParamSpec> params(final Genes g, final SamplerKind sampler) {
    final List<ParamSpec> params = new ArrayList<>();
    final int count = g.between(1, 4);
    for (int i = 0; i < count; i++) {
      final ParamSpec param = param(g, "p" + i, sampler);
      final List<ParamSpec> parents = params.stream().filter(p -> p.getType() == ParamType.CATEGORICAL).toList();
      if (!parents.isEmpty() && g.percent(30)) {
        final ParamSpec parent = parents.get(g.below(parents.size()));
        final List<Object> values = new ArrayList<>();
        values.add(parent.getChoices().get(g.below(parent.getChoices().size())));
        param.setActiveWhen(ParamCondition.newBuilder().setParent(parent.getName()).setValues(values).build());
      }
      params.add(param);
    }
    return params;
  }

  static ParamSpec param(final Genes g, final String name, final SamplerKind sampler) {
    final ParamType type = g.of(ParamType.CATEGORICAL, ParamType.FLOAT, ParamType.INT);
    final ParamSpec.Builder param = ParamSpec.newBuilder().setName(name).setType(type);
    final Integer points = sampler == SamplerKind.GRID || g.percent(10) ? g.between(1, 4) : null;
    switch (type) {
      case CATEGORICAL -> param.setChoices(choices(g, g.between(1, 4)));
      case FLOAT -> {
        final boolean log = g.percent(30);
        final double low = log ? 1e-4 + g.unit() : g.unit() * 20 - 10;
        param.setLow(low).setHigh(low + g.unit() * g.of(1.0, 100.0, 1e-9, 0.0)).setLog(log).setGridPoints(points);
      }
      case INT -> {
        final boolean log = g.percent(30);
        final long low = log ? g.between(1, 5) : g.between(-5, 5);
        param.setLow((double) low).setHigh((double) (low + g.between(0, 20))).setLog(log)
            .setGridPoints(g.percent(50) ? points : null);
      }
      default -> throw new IllegalStateException(type.name());
    }
    return param.build();
  }

  /** Distinct choices of every type a choice may have (boolean, long, double, string). */
  static List<Object> choices(final Genes g, final int count) {
    final List<Object> choices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      choices.add(switch (g.below(4)) {
        case 1 -> (long) i;
        case 2 -> i + 0.5;
        case 3 -> i % 2 == 0;
        default -> "c" + i;
      });
    }
    return choices.stream().distinct().collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  /** Warm-start points: for each parameter active in the point, its low or high end (or a choice). */
  private static List<Map<String, Object>> points(final Genes g, final List<ParamSpec> params) {
    final List<Map<String, Object>> points = new ArrayList<>();
    final int count = g.between(1, 2);
    for (int i = 0; i < count; i++) {
      final Map<String, Object> point = new LinkedHashMap<>();
      for (final ParamSpec param : params) {
        final ParamCondition when = param.getActiveWhen();
        if (when != null && !when.getValues().contains(point.get(when.getParent()))) {
          continue;
        }
        final boolean high = g.percent(50);
        point.put(param.getName(), switch (param.getType()) {
          case CATEGORICAL -> param.getChoices().get(g.below(param.getChoices().size()));
          case FLOAT -> high ? param.getHigh() : param.getLow();
          case INT -> (long) (high ? param.getHigh() : param.getLow()).doubleValue();
        });
      }
      points.add(point);
    }
    return points;
  }

  private static SearchOptions searchOptions(final Genes g, final SamplerKind sampler) {
    final SearchOptions.Builder options = SearchOptions.newBuilder();
    if (sampler == SamplerKind.TPE) {
      options.setNStartupTrials(g.percent(70) ? g.between(1, 6) : null)
          .setGamma(g.percent(50) ? 0.05 + g.unit() * 0.9 : null)
          .setNEiCandidates(g.percent(50) ? g.between(1, 24) : null);
    } else if (sampler == SamplerKind.EVOLUTION) {
      final int population = g.between(2, 10);
      options.setPopulationSize(g.percent(70) ? population : null)
          .setTournamentSize(g.percent(50) ? g.between(1, Math.min(population, 5)) : null)
          .setMutationProbability(g.percent(50) ? g.unit() : null)
          .setCrossoverProbability(g.percent(50) ? g.unit() : null);
    }
    return options.build();
  }

  /** The knobs the spec's method reads, each set or left to its default; null for every default. */
  private static SchedulerOptions schedulerOptions(final Genes g, final StudySpec spec) {
    final SchedulerKind kind = spec.getScheduler();
    if (kind != SchedulerKind.PBT && kind != SchedulerKind.MO_ASHA && g.percent(40)) {
      return null;
    }
    final SchedulerOptions.Builder o = SchedulerOptions.newBuilder();
    final long max = spec.getMaxResource();
    switch (kind) {
      case ASHA -> o.setMinRungSize(g.percent(30) ? (long) g.between(1, 3) : null)
          .setTies(g.percent(30) ? g.of("earlier", "later", "LATER") : null);
      case ASHA_STOPPING -> o.setMinRungSize(g.percent(30) ? (long) g.between(1, 3) : null);
      case ASYNC_HYPERBAND, HYPERBAND_STOPPING -> {
        o.setBrackets(g.percent(30) ? 1 : null).setBracketRule(g.percent(40) ? g.of("round_robin", "weighted") : null);
        if (kind == SchedulerKind.HYPERBAND_STOPPING) {
          o.setMinRungSize(g.percent(30) ? (long) g.between(1, 3) : null);
        }
      }
      case HYPERBAND -> o.setBrackets(g.percent(30) ? 1 : null);
      case MEDIAN_STOPPING -> o.setGracePeriod(g.percent(30) ? (long) g.between(0, (int) max) : null)
          .setMinSamples(g.percent(30) ? g.between(1, 4) : null);
      case PBT -> pbt(g, spec, o, max);
      case MO_ASHA -> moAsha(g, spec, o);
      default -> { }
    }
    return o.build();
  }

  private static void pbt(final Genes g, final StudySpec spec, final SchedulerOptions.Builder o, final long max) {
    o.setPerturbationInterval(Math.max(1, max / g.between(2, 6)))
        .setQuantileFraction(g.percent(30) ? 0.05 + g.unit() * 0.45 : null)
        .setResampleProbability(g.percent(30) ? g.unit() : null)
        .setPerturbationFactors(g.percent(30) ? new ArrayList<>(List.of(0.5 + g.unit(), 1.5)) : new ArrayList<>());
    if (g.percent(30)) {
      o.setHyperparamMutations(new ArrayList<>(List.of(spec.getParams().get(0).getName())));
    }
  }

  private static void moAsha(final Genes g, final StudySpec spec, final SchedulerOptions.Builder o) {
    final List<ObjectiveSpec> objectives = new ArrayList<>();
    objectives.add(ObjectiveSpec.newBuilder().setMetric(spec.getMetric()).setMode(spec.getMode()).build());
    objectives.add(ObjectiveSpec.newBuilder().setMetric("size").setMode(g.of(Mode.MIN, Mode.MAX)).build());
    if (g.percent(30)) {
      objectives.add(ObjectiveSpec.newBuilder().setMetric("cost").setMode(Mode.MIN).build());
    }
    o.setObjectives(objectives).setMinRungSize(g.percent(20) ? (long) g.between(1, 2) : null);
    if (g.percent(40)) {
      o.setTieBreak("weighted_sum");
      if (g.percent(50)) {
        o.setWeights(new ArrayList<>(objectives.stream().map(x -> g.unit()).toList()));
      }
    }
  }
}
