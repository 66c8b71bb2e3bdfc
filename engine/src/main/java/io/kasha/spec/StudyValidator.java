package io.kasha.spec;

import io.kasha.method.RungSchedule;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import io.kasha.space.SearchSettings;
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

  private final List<Problem> problems = new ArrayList<>();

  private StudyValidator() {}

  /**
   * Every problem with the spec, each naming its key, the value and what is allowed, for example
   * "eta: must be at least 2 (got 1)" in spec terms. An empty list means the spec is valid.
   */
  public static List<Problem> validate(final StudySpec spec) {
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
    notBlank(StudyKey.METRIC, spec.getMetric());
    notBlank(StudyKey.ENTRYPOINT, spec.getEntrypoint());
    if (spec.getMode() == null) {
      problems.add(Problem.of(StudyKey.MODE, "required, MIN or MAX"));
    }
    if (spec.getSampler() == null) {
      problems.add(Problem.of(StudyKey.SAMPLER, "required, one of " + StudyKey.SAMPLER.allowed()));
    }
    atLeast(StudyKey.ETA, spec.getEta(), 2);
    atLeast(StudyKey.MIN_RESOURCE, spec.getMinResource(), 1);
    if (spec.getMaxResource() < spec.getMinResource()) {
      problems.add(Problem.of(StudyKey.MAX_RESOURCE, "must be at least {minResource} (" + spec.getMinResource()
          + ") (got " + spec.getMaxResource() + ")"));
    }
    atLeast(StudyKey.EARLY_STOPPING_RATE, spec.getEarlyStoppingRate(), 0);
    checkFirstRung(spec);
    atLeast(StudyKey.PARALLELISM, spec.getParallelism(), 1);
    atLeast(StudyKey.MAX_TRIALS, spec.getMaxTrials(), 1);
    atLeast(StudyKey.MAX_ATTEMPTS, spec.getMaxAttempts(), 1);
    atLeast(StudyKey.LEASE, spec.getLeaseMs(), 1000);
    if (spec.getMaxDurationMs() != null && spec.getMaxDurationMs() <= 0) {
      problems.add(Problem.of(StudyKey.MAX_DURATION, "must be > 0 if set (got " + spec.getMaxDurationMs() + ")"));
    }
    if (spec.getTarget() != null && !Double.isFinite(spec.getTarget())) {
      problems.add(Problem.of(StudyKey.TARGET, "must be a finite number if set (got " + spec.getTarget() + ")"));
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
      problems.add(Problem.of(StudyKey.EARLY_STOPPING_RATE, "{minResource} * {eta}^{earlyStoppingRate} must not "
          + "exceed {maxResource} (got " + min + " * " + eta + "^" + rate + " > " + max + ")"));
    }
  }

  private void checkParams(final List<ParamSpec> params, final SamplerKind sampler) {
    if (params == null || params.isEmpty()) {
      problems.add(Problem.of(StudyKey.PARAMS, "must list at least one parameter (got none)"));
      return;
    }
    final Set<String> names = new HashSet<>();
    boolean allValid = true;
    long gridSize = 1;
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec param = params.get(i);
      if (param == null) {
        problems.add(Problem.of(StudyKey.PARAMS, i, null, "must be a parameter (got null)"));
        allValid = false;
        continue;
      }
      final String name = param.getName() == null ? "" : param.getName();
      final int before = problems.size();
      if (name.isBlank()) {
        problems.add(Problem.of(StudyKey.PARAMS, i, "name", "must not be blank (got '" + name + "')"));
      } else if (!names.add(name)) {
        problems.add(Problem.of(StudyKey.PARAMS, i, "name", "must be unique (got a second '" + param.getName() + "')"));
      }
      checkParam(new Problem.Item(i, name), param, sampler);
      allValid &= problems.size() == before;
      gridSize = allValid ? multiplyOrMax(gridSize, gridAxisBound(param)) : gridSize;
    }
    if (sampler == SamplerKind.GRID && allValid && gridSize == Long.MAX_VALUE) {
      problems.add(Problem.of(StudyKey.PARAMS, "the grid must have fewer than 2^63 - 1 configurations (got more)"));
    }
    if (allValid) {
      checkConditions(params);
    }
    if (sampler == SamplerKind.GRID && allValid && gridSize > MAX_CONDITIONAL_GRID
        && new SearchSpace(params).hasConditions()) {
      problems.add(Problem.of(StudyKey.PARAMS, "a grid with conditional parameters ({activeWhen}) may have at most "
          + MAX_CONDITIONAL_GRID + " combinations (got " + (gridSize == Long.MAX_VALUE ? "more" : gridSize)
          + "); use fewer {gridPoints}"));
    }
    if (sampler == SamplerKind.SOBOL && params.size() > SobolSampler.MAX_DIMENSIONS) {
      problems.add(Problem.of(StudyKey.PARAMS, "the sobol sampler takes at most " + SobolSampler.MAX_DIMENSIONS
          + " parameters (got " + params.size() + "); use random"));
    }
  }

  /** Each condition names an earlier parameter and only values that parameter can take. */
  private void checkConditions(final List<ParamSpec> params) {
    final Map<String, ParamSpec> earlier = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec param = params.get(i);
      final ParamCondition condition = param.getActiveWhen();
      final Problem.Item field = new Problem.Item(i, param.getName());
      if (condition != null) {
        final ParamSpec parent = earlier.get(condition.getParent());
        if (parent == null) {
          problems.add(when(field, "the parent must be a parameter declared before '" + param.getName() + "' (got '"
              + condition.getParent() + "'; declared before it: " + earlier.keySet() + ")"));
        } else if (condition.getValues() == null || condition.getValues().isEmpty()) {
          problems.add(when(field, "needs at least one value of '" + parent.getName() + "' (allowed: "
              + Values.allowed(parent) + ")"));
        } else {
          for (final Object value : condition.getValues()) {
            if (Values.canonical(parent, value).isEmpty()) {
              problems.add(when(field, value + " is not a value of '" + parent.getName() + "' (allowed: "
                  + Values.allowed(parent) + ")"));
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
    option(sampler, StudyKey.N_STARTUP_TRIALS, options.getNStartupTrials(), 1, Integer.MAX_VALUE);
    option(sampler, StudyKey.N_EI_CANDIDATES, options.getNEiCandidates(), 1, 10_000);
    option(sampler, StudyKey.POPULATION_SIZE, options.getPopulationSize(), 2, 100_000);
    final int population = options.getPopulationSize() == null
        ? SearchSettings.DEFAULTS.populationSize() : options.getPopulationSize();
    option(sampler, StudyKey.TOURNAMENT_SIZE, options.getTournamentSize(), 1, Math.max(1, population));
    if (usedBy(sampler, StudyKey.GAMMA, options.getGamma()) && !(options.getGamma() > 0 && options.getGamma() < 1)) {
      problems.add(Problem.of(StudyKey.GAMMA, "must be between 0 and 1, both excluded (got " + options.getGamma()
          + ")"));
    }
    probability(sampler, StudyKey.MUTATION_PROBABILITY, options.getMutationProbability());
    probability(sampler, StudyKey.CROSSOVER_PROBABILITY, options.getCrossoverProbability());
  }

  private void option(final SamplerKind sampler, final StudyKey key, final Integer value, final int min,
      final int max) {
    if (usedBy(sampler, key, value) && (value < min || value > max)) {
      problems.add(Problem.of(key, "must be between " + min + " and " + max + " (got " + value + ")"));
    }
  }

  private void probability(final SamplerKind sampler, final StudyKey key, final Double value) {
    if (usedBy(sampler, key, value) && !(value >= 0 && value <= 1)) {
      problems.add(Problem.of(key, "must be between 0 and 1 (got " + value + ")"));
    }
  }

  /** True if the option is set and the sampler reads it; a problem if it is set for another sampler. */
  private boolean usedBy(final SamplerKind sampler, final StudyKey key, final Object value) {
    if (value == null) {
      return false;
    }
    if (!key.readBy(sampler)) {
      final String readers = String.join(" or ", key.methods().stream().sorted().toList());
      problems.add(Problem.of(key, "only the " + readers + " sampler reads it ({sampler} is "
          + StudyKey.fileName(sampler) + "); remove it or set {sampler}: " + readers));
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
      final Map<String, Object> point = points.get(i);
      for (final String name : point.keySet()) {
        if (!byName.containsKey(name)) {
          problems.add(Problem.of(StudyKey.POINTS_TO_EVALUATE, i, name, "not a parameter of the study (parameters: "
              + byName.keySet() + ")"));
        }
      }
      final Map<String, Object> decided = new LinkedHashMap<>();
      for (final ParamSpec param : spec.getParams()) {
        final String name = param.getName();
        final boolean active = SearchSpace.isActive(param, decided);
        if (!active && point.containsKey(name)) {
          problems.add(Problem.of(StudyKey.POINTS_TO_EVALUATE, i, name, "inactive here, as '"
              + param.getActiveWhen().getParent() + "' is not one of " + param.getActiveWhen().getValues()
              + "; remove it from the point"));
        } else if (active && !point.containsKey(name)) {
          problems.add(Problem.of(StudyKey.POINTS_TO_EVALUATE, i, name, "required, " + Values.allowed(param)));
        } else if (active) {
          final java.util.Optional<Object> value = Values.canonical(param, point.get(name));
          if (value.isEmpty()) {
            problems.add(Problem.of(StudyKey.POINTS_TO_EVALUATE, i, name, "must be " + Values.allowed(param) + " (got "
                + point.get(name) + ")"));
          } else {
            decided.put(name, value.get());
          }
        }
      }
    }
  }

  private void checkParam(final Problem.Item field, final ParamSpec param, final SamplerKind sampler) {
    if (param.getType() == null) {
      problems.add(param(StudyKey.PARAM_TYPE, field, "required, FLOAT, INT or CATEGORICAL"));
      return;
    }
    final Integer gridPoints = param.getGridPoints();
    if (gridPoints != null && (gridPoints < 1 || gridPoints > MAX_GRID_AXIS)) {
      problems.add(param(StudyKey.PARAM_POINTS, field, "must be between 1 and " + MAX_GRID_AXIS + " if set (got "
          + gridPoints + ")"));
    }
    if (param.getType() == ParamType.CATEGORICAL) {
      checkCategorical(field, param);
    } else {
      checkRange(field, param, sampler);
    }
  }

  private void checkCategorical(final Problem.Item field, final ParamSpec param) {
    if (param.getChoices() == null || param.getChoices().isEmpty()) {
      problems.add(param(StudyKey.PARAM_CHOICES, field, "a CATEGORICAL parameter needs at least one choice (got none)"));
    }
    if (param.getLow() != null) {
      problems.add(param(StudyKey.PARAM_LOW, field, "not allowed for a CATEGORICAL parameter (got " + param.getLow()
          + ")"));
    }
    if (param.getHigh() != null) {
      problems.add(param(StudyKey.PARAM_HIGH, field, "not allowed for a CATEGORICAL parameter (got "
          + param.getHigh() + ")"));
    }
    if (param.getLog()) {
      problems.add(param(StudyKey.PARAM_LOG, field, "only FLOAT and INT parameters have a scale (got true)"));
    }
  }

  private void checkRange(final Problem.Item field, final ParamSpec param, final SamplerKind sampler) {
    final String type = param.getType().name();
    if (param.getChoices() != null && !param.getChoices().isEmpty()) {
      problems.add(param(StudyKey.PARAM_CHOICES, field, "only for a CATEGORICAL parameter, not " + type + " (got "
          + param.getChoices() + ")"));
    }
    final boolean lowOk = bound(StudyKey.PARAM_LOW, field, param.getLow(), param.getType());
    final boolean highOk = bound(StudyKey.PARAM_HIGH, field, param.getHigh(), param.getType());
    if (lowOk && highOk && param.getLow() > param.getHigh()) {
      problems.add(param(StudyKey.PARAM_HIGH, field, "must be at least {low} (" + param.getLow() + ") (got "
          + param.getHigh() + ")"));
    }
    if (lowOk && param.getLog() && param.getLow() <= 0) {
      problems.add(param(StudyKey.PARAM_LOW, field, "must be > 0 on a log scale (got " + param.getLow() + ")"));
    }
    if (sampler != SamplerKind.GRID || param.getGridPoints() != null) {
      return;
    }
    if (param.getType() == ParamType.FLOAT) {
      problems.add(param(StudyKey.PARAM_POINTS, field, "required for a FLOAT range under the GRID sampler (for "
          + "example {gridPoints}: 5)"));
    } else if (lowOk && highOk && param.getHigh() - param.getLow() + 1 > MAX_GRID_AXIS) {
      problems.add(param(StudyKey.PARAM_POINTS, field, "required for an INT range of more than " + MAX_GRID_AXIS
          + " values under the GRID sampler (got " + (long) (param.getHigh() - param.getLow() + 1)
          + " values from " + param.getLow().longValue() + " to " + param.getHigh().longValue() + ")"));
    }
  }

  private boolean bound(final StudyKey key, final Problem.Item field, final Double value, final ParamType type) {
    if (value == null) {
      problems.add(param(key, field, "required for " + (type == ParamType.INT ? "an " : "a ") + type + " parameter"));
      return false;
    }
    if (!Double.isFinite(value)) {
      problems.add(param(key, field, "must be a finite number (got " + value + ")"));
      return false;
    }
    if (type == ParamType.INT && (value != Math.rint(value) || Math.abs(value) > MAX_INT_MAGNITUDE)) {
      problems.add(param(key, field, "must be a whole number between -2^53 and 2^53 for an INT parameter (got "
          + value + ")"));
      return false;
    }
    return true;
  }

  private static Problem param(final StudyKey key, final Problem.Item param, final String message) {
    return new Problem(key.field(), param, message);
  }

  private static Problem when(final Problem.Item param, final String message) {
    return param(StudyKey.PARAM_WHEN, param, message);
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

  private void notBlank(final StudyKey key, final String value) {
    if (value == null || value.isBlank()) {
      problems.add(Problem.of(key, "must not be blank (got '" + (value == null ? "" : value) + "')"));
    }
  }

  private void atLeast(final StudyKey key, final long value, final long minimum) {
    if (value < minimum) {
      problems.add(Problem.of(key, "must be at least " + minimum + " (got " + value + ")"));
    }
  }
}
