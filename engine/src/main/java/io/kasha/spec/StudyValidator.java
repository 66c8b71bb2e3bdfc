package io.kasha.spec;

import io.kasha.method.RungSchedule;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import io.kasha.space.SearchSpace;
import io.kasha.space.SobolSampler;
import io.kasha.space.Values;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a study spec before the scheduler runs it. A spec it accepts can be scheduled and sampled
 * without error: the rung schedule exists and every sampler can be built.
 */
public final class StudyValidator {

  /** Largest INT range a GRID sampler enumerates without {@code gridPoints}; also the most grid points of one parameter. */
  static final long MAX_GRID_AXIS = 10_000;

  /** Most combinations a GRID sampler with conditional parameters lists, before dropping duplicates. */
  static final long MAX_CONDITIONAL_GRID = 100_000;

  /** INT bounds must be whole numbers no larger than this, so that every value is exact as a double. */
  private static final double MAX_INT_MAGNITUDE = 0x1p53;

  private final List<String> problems = new ArrayList<>();

  private StudyValidator() {}

  /**
   * Every problem with the spec, one message each naming the field, the value and what is allowed,
   * for example "eta: must be at least 2 (got 1)". An empty list means the spec is valid.
   */
  public static List<String> validate(final StudySpec spec) {
    final StudyValidator validator = new StudyValidator();
    validator.checkStudy(spec);
    validator.checkParams(spec.getParams(), spec.getSampler());
    validator.checkSearchOptions(spec);
    validator.problems.addAll(SchedulerValidator.validate(spec));
    if (validator.problems.isEmpty()) {
      validator.checkPointsToEvaluate(spec);
    }
    return List.copyOf(validator.problems);
  }

  private void checkStudy(final StudySpec spec) {
    notBlank("metric", spec.getMetric());
    notBlank("entrypoint", spec.getEntrypoint());
    if (spec.getMode() == null) {
      problems.add("mode: required, MIN or MAX");
    }
    if (spec.getSampler() == null) {
      problems.add("sampler: required, one of " + java.util.Arrays.toString(SamplerKind.values()));
    }
    atLeast("eta", spec.getEta(), 2);
    atLeast("minResource", spec.getMinResource(), 1);
    if (spec.getMaxResource() < spec.getMinResource()) {
      problems.add("maxResource: must be at least minResource (" + spec.getMinResource() + ") (got "
          + spec.getMaxResource() + ")");
    }
    atLeast("earlyStoppingRate", spec.getEarlyStoppingRate(), 0);
    checkFirstRung(spec);
    atLeast("parallelism", spec.getParallelism(), 1);
    atLeast("maxTrials", spec.getMaxTrials(), 1);
    atLeast("maxAttempts", spec.getMaxAttempts(), 1);
    atLeast("leaseMs", spec.getLeaseMs(), 1000);
    if (spec.getMaxDurationMs() != null && spec.getMaxDurationMs() <= 0) {
      problems.add("maxDurationMs: must be > 0 if set (got " + spec.getMaxDurationMs() + ")");
    }
    if (spec.getTarget() != null && !Double.isFinite(spec.getTarget())) {
      problems.add("target: must be a finite number if set (got " + spec.getTarget() + ")");
    }
  }

  private void checkFirstRung(final StudySpec spec) {
    final long min = spec.getMinResource();
    final long max = spec.getMaxResource();
    final int eta = spec.getEta();
    final int rate = spec.getEarlyStoppingRate();
    if (min < 1 || max < min || eta < 2 || rate < 0) {
      return;
    }
    try {
      RungSchedule.of(min, max, eta, rate);
    } catch (final IllegalArgumentException e) {
      problems.add("earlyStoppingRate: minResource * eta^earlyStoppingRate must not exceed maxResource (got "
          + min + " * " + eta + "^" + rate + " > " + max + ")");
    }
  }

  private void checkParams(final List<ParamSpec> params, final SamplerKind sampler) {
    if (params == null || params.isEmpty()) {
      problems.add("params: must list at least one parameter (got none)");
      return;
    }
    final Set<String> names = new HashSet<>();
    boolean allValid = true;
    long gridSize = 1;
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec param = params.get(i);
      if (param == null) {
        problems.add("params[" + i + "]: must be a parameter (got null)");
        allValid = false;
        continue;
      }
      final String name = param.getName() == null ? "" : param.getName();
      final String field = "params[" + i + "] '" + name + "'";
      final int before = problems.size();
      if (name.isBlank()) {
        problems.add("params[" + i + "].name: must not be blank (got '" + name + "')");
      } else if (!names.add(name)) {
        problems.add(field + ".name: must be unique (got a second '" + param.getName() + "')");
      }
      checkParam(field, param, sampler);
      allValid &= problems.size() == before;
      gridSize = allValid ? multiplyOrMax(gridSize, gridAxisBound(param)) : gridSize;
    }
    if (sampler == SamplerKind.GRID && allValid && gridSize == Long.MAX_VALUE) {
      problems.add("params: the grid must have fewer than 2^63 - 1 configurations (got more)");
    }
    if (allValid) {
      checkConditions(params);
    }
    if (sampler == SamplerKind.GRID && allValid && gridSize > MAX_CONDITIONAL_GRID
        && new SearchSpace(params).hasConditions()) {
      problems.add("params: a grid with conditional parameters (activeWhen) may have at most " + MAX_CONDITIONAL_GRID
          + " combinations (got " + (gridSize == Long.MAX_VALUE ? "more" : gridSize) + "); use fewer gridPoints");
    }
    if (sampler == SamplerKind.SOBOL && params.size() > SobolSampler.MAX_DIMENSIONS) {
      problems.add("params: the SOBOL sampler takes at most " + SobolSampler.MAX_DIMENSIONS + " parameters (got "
          + params.size() + "); use RANDOM");
    }
  }

  /** Each condition names an earlier parameter and only values that parameter can take. */
  private void checkConditions(final List<ParamSpec> params) {
    final Map<String, ParamSpec> earlier = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec param = params.get(i);
      final ParamCondition condition = param.getActiveWhen();
      final String field = "params[" + i + "] '" + param.getName() + "'.activeWhen";
      if (condition != null) {
        final ParamSpec parent = earlier.get(condition.getParent());
        if (parent == null) {
          problems.add(field + ": the parent must be a parameter declared before '" + param.getName() + "' (got '"
              + condition.getParent() + "'; declared before it: " + earlier.keySet() + ")");
        } else if (condition.getValues() == null || condition.getValues().isEmpty()) {
          problems.add(field + ": needs at least one value of '" + parent.getName() + "' (allowed: "
              + Values.allowed(parent) + ")");
        } else {
          for (final Object value : condition.getValues()) {
            if (Values.canonical(parent, value).isEmpty()) {
              problems.add(field + ": " + value + " is not a value of '" + parent.getName() + "' (allowed: "
                  + Values.allowed(parent) + ")");
            }
          }
        }
      }
      earlier.put(param.getName(), param);
    }
  }

  /** The knobs are in range, and set only for the sampler that reads them. */
  private void checkSearchOptions(final StudySpec spec) {
    final SearchOptions options = spec.getSearchOptions();
    if (options == null) {
      return;
    }
    final SamplerKind sampler = spec.getSampler();
    option(sampler, SamplerKind.TPE, "nStartupTrials", options.getNStartupTrials(), 1, Integer.MAX_VALUE);
    option(sampler, SamplerKind.TPE, "nEiCandidates", options.getNEiCandidates(), 1, 10_000);
    option(sampler, SamplerKind.EVOLUTION, "populationSize", options.getPopulationSize(), 2, 100_000);
    final int population = options.getPopulationSize() == null
        ? SearchSettings.DEFAULTS.populationSize() : options.getPopulationSize();
    option(sampler, SamplerKind.EVOLUTION, "tournamentSize", options.getTournamentSize(), 1, Math.max(1, population));
    if (usedBy(sampler, SamplerKind.TPE, "gamma", options.getGamma())
        && !(options.getGamma() > 0 && options.getGamma() < 1)) {
      problems.add("searchOptions.gamma: must be between 0 and 1, both excluded (got " + options.getGamma() + ")");
    }
    probability(sampler, "mutationProbability", options.getMutationProbability());
    probability(sampler, "crossoverProbability", options.getCrossoverProbability());
  }

  private void option(final SamplerKind sampler, final SamplerKind reader, final String name, final Integer value,
      final int min, final int max) {
    if (usedBy(sampler, reader, name, value) && (value < min || value > max)) {
      problems.add("searchOptions." + name + ": must be between " + min + " and " + max + " (got " + value + ")");
    }
  }

  private void probability(final SamplerKind sampler, final String name, final Double value) {
    if (usedBy(sampler, SamplerKind.EVOLUTION, name, value) && !(value >= 0 && value <= 1)) {
      problems.add("searchOptions." + name + ": must be between 0 and 1 (got " + value + ")");
    }
  }

  /** True if the option is set and the sampler reads it; a problem if it is set for another sampler. */
  private boolean usedBy(final SamplerKind sampler, final SamplerKind reader, final String name, final Object value) {
    if (value == null) {
      return false;
    }
    if (sampler != reader) {
      problems.add("searchOptions." + name + ": only the " + reader + " sampler reads it (sampler is " + sampler
          + "); remove it or set sampler to " + reader);
      return false;
    }
    return true;
  }

  /** Each warm-start point gives a value in range for each of its active parameters and nothing else. */
  private void checkPointsToEvaluate(final StudySpec spec) {
    final List<Map<String, Object>> points = spec.getPointsToEvaluate();
    final Map<String, ParamSpec> byName = new LinkedHashMap<>();
    spec.getParams().forEach(p -> byName.put(p.getName(), p));
    for (int i = 0; i < points.size(); i++) {
      final String field = "pointsToEvaluate[" + i + "]";
      final Map<String, Object> point = points.get(i);
      for (final String name : point.keySet()) {
        if (!byName.containsKey(name)) {
          problems.add(field + "." + name + ": not a parameter of the study (parameters: " + byName.keySet() + ")");
        }
      }
      final Map<String, Object> decided = new LinkedHashMap<>();
      for (final ParamSpec param : spec.getParams()) {
        final String name = param.getName();
        final boolean active = SearchSpace.isActive(param, decided);
        if (!active && point.containsKey(name)) {
          problems.add(field + "." + name + ": inactive here, as '" + param.getActiveWhen().getParent()
              + "' is not one of " + param.getActiveWhen().getValues() + "; remove it from the point");
        } else if (active && !point.containsKey(name)) {
          problems.add(field + "." + name + ": required, " + Values.allowed(param));
        } else if (active) {
          final java.util.Optional<Object> value = Values.canonical(param, point.get(name));
          if (value.isEmpty()) {
            problems.add(field + "." + name + ": must be " + Values.allowed(param) + " (got " + point.get(name) + ")");
          } else {
            decided.put(name, value.get());
          }
        }
      }
    }
  }

  private void checkParam(final String field, final ParamSpec param, final SamplerKind sampler) {
    if (param.getType() == null) {
      problems.add(field + ".type: required, FLOAT, INT or CATEGORICAL");
      return;
    }
    final Integer gridPoints = param.getGridPoints();
    if (gridPoints != null && (gridPoints < 1 || gridPoints > MAX_GRID_AXIS)) {
      problems.add(field + ".gridPoints: must be between 1 and " + MAX_GRID_AXIS + " if set (got " + gridPoints + ")");
    }
    if (param.getType() == ParamType.CATEGORICAL) {
      checkCategorical(field, param);
    } else {
      checkRange(field, param, sampler);
    }
  }

  private void checkCategorical(final String field, final ParamSpec param) {
    if (param.getChoices() == null || param.getChoices().isEmpty()) {
      problems.add(field + ".choices: a CATEGORICAL parameter needs at least one choice (got none)");
    }
    if (param.getLow() != null) {
      problems.add(field + ".low: not allowed for a CATEGORICAL parameter (got " + param.getLow() + ")");
    }
    if (param.getHigh() != null) {
      problems.add(field + ".high: not allowed for a CATEGORICAL parameter (got " + param.getHigh() + ")");
    }
    if (param.getLog()) {
      problems.add(field + ".log: only FLOAT and INT parameters have a scale (got true)");
    }
  }

  private void checkRange(final String field, final ParamSpec param, final SamplerKind sampler) {
    final String type = param.getType().name();
    if (param.getChoices() != null && !param.getChoices().isEmpty()) {
      problems.add(field + ".choices: only for a CATEGORICAL parameter, not " + type + " (got "
          + param.getChoices() + ")");
    }
    final boolean lowOk = bound(field + ".low", param.getLow(), param.getType());
    final boolean highOk = bound(field + ".high", param.getHigh(), param.getType());
    if (lowOk && highOk && param.getLow() > param.getHigh()) {
      problems.add(field + ".high: must be at least low (" + param.getLow() + ") (got " + param.getHigh() + ")");
    }
    if (lowOk && param.getLog() && param.getLow() <= 0) {
      problems.add(field + ".low: must be > 0 on a log scale (got " + param.getLow() + ")");
    }
    if (sampler != SamplerKind.GRID || param.getGridPoints() != null) {
      return;
    }
    if (param.getType() == ParamType.FLOAT) {
      problems.add(field + ".gridPoints: required for a FLOAT range under the GRID sampler (for example gridPoints: 5)");
    } else if (lowOk && highOk && param.getHigh() - param.getLow() + 1 > MAX_GRID_AXIS) {
      problems.add(field + ".gridPoints: required for an INT range of more than " + MAX_GRID_AXIS
          + " values under the GRID sampler (got " + (long) (param.getHigh() - param.getLow() + 1)
          + " values from " + param.getLow().longValue() + " to " + param.getHigh().longValue() + ")");
    }
  }

  private boolean bound(final String field, final Double value, final ParamType type) {
    if (value == null) {
      problems.add(field + ": required for " + (type == ParamType.INT ? "an " : "a ") + type + " parameter");
      return false;
    }
    if (!Double.isFinite(value)) {
      problems.add(field + ": must be a finite number (got " + value + ")");
      return false;
    }
    if (type == ParamType.INT && (value != Math.rint(value) || Math.abs(value) > MAX_INT_MAGNITUDE)) {
      problems.add(field + ": must be a whole number between -2^53 and 2^53 for an INT parameter (got " + value + ")");
      return false;
    }
    return true;
  }

  /** An upper bound of the number of grid values of a valid parameter. */
  private static long gridAxisBound(final ParamSpec param) {
    if (param.getType() == ParamType.CATEGORICAL) {
      return param.getChoices().size();
    }
    if (param.getGridPoints() != null) {
      return param.getGridPoints();
    }
    return param.getType() == ParamType.INT ? (long) (param.getHigh() - param.getLow()) + 1 : 1;
  }

  private static long multiplyOrMax(final long a, final long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  private void notBlank(final String field, final String value) {
    if (value == null || value.isBlank()) {
      problems.add(field + ": must not be blank (got '" + (value == null ? "" : value) + "')");
    }
  }

  private void atLeast(final String field, final long value, final long minimum) {
    if (value < minimum) {
      problems.add(field + ": must be at least " + minimum + " (got " + value + ")");
    }
  }
}
