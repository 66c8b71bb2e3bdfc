package io.kasha.spec;

import io.kasha.method.BracketRule;
import io.kasha.method.SchedulerSettings;
import io.kasha.method.TieBreak;
import io.kasha.method.TiePolicy;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.space.SearchSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key of a study file, stated once: its path in the file, the {@code StudySpec} field it sets,
 * its type, its default, the methods that read it, the values it allows and what it does. The study
 * file reader, the validators' problems, {@code kasha keys} and the README's key table all read them
 * from here.
 *
 * <p>Defaults of {@code StudySpec}'s own fields are those of {@code StudySpec.avsc} (a test holds the two
 * together); the method knobs, which the schema leaves null, default to {@link SearchSettings#DEFAULTS}
 * and {@link SchedulerSettings}' constants. A key whose field is one of a parameter's (under
 * {@code search.params.NAME}) names a {@code ParamSpec} field; {@link #RUNNERS} sets no field at all.
 */
public enum StudyKey {
  NAME("name", "name", Type.TEXT, Default.REQUIRED, Set.of(), "",
      "the study's name; a study id is the name and the time unless --study-id is given"),
  ENTRYPOINT("entrypoint", "entrypoint", Type.TEXT, Default.REQUIRED, Set.of(), "",
      "the training program, by the name it is registered under on the runners"),
  METRIC("objective.metric", "metric", Type.TEXT, Default.REQUIRED, Set.of(), "",
      "the reported metric to optimise (with objectives: the first one's)"),
  MODE("objective.mode", "mode", Type.CHOICE, Default.REQUIRED, Set.of(), choices(Mode.class),
      "whether lower or higher metric values are better"),
  OBJECTIVES("objectives", "schedulerOptions.objectives", Type.OBJECTIVES, Default.NONE, Set.of("mo_asha"),
      "two or more", "instead of objective: the objectives of a multi-objective study, the first "
          + "also the study's metric"),

  SAMPLER("search.sampler", "sampler", Type.CHOICE, Default.of(SamplerKind.RANDOM), Set.of(),
      choices(SamplerKind.class), "how each new trial's configuration is drawn"),
  SEED("search.seed", "seed", Type.WHOLE_NUMBER, Default.of(0L), Set.of(), "",
      "seed of the sampler (and of bracket_rule weighted): the same seed and results give the same trials"),
  PARAMS("search.params", "params", Type.PARAMS, Default.REQUIRED, Set.of(), "at least one parameter",
      "the search space: a mapping of parameter name to its range or choices"),
  PARAM_TYPE("search.params.NAME.type", "type", Type.CHOICE, Default.derived("float, or categorical with choices"),
      Set.of(), choices(ParamType.class), "the parameter's type"),
  PARAM_CHOICES("search.params.NAME.choices", "choices", Type.VALUES, Default.NONE, Set.of(),
      "numbers, strings or booleans", "the values of a categorical parameter"),
  PARAM_LOW("search.params.NAME.low", "low", Type.NUMBER, Default.NONE, Set.of(), "a finite number",
      "lower bound of a float or int range (required for them)"),
  PARAM_HIGH("search.params.NAME.high", "high", Type.NUMBER, Default.NONE, Set.of(), "at least low",
      "upper bound, inclusive, of a float or int range (required for them)"),
  PARAM_LOG("search.params.NAME.log", "log", Type.BOOLEAN, Default.of(false), Set.of(), "",
      "draw a float or int range on a log scale (needs low > 0)"),
  PARAM_POINTS("search.params.NAME.points", "gridPoints", Type.WHOLE_NUMBER, Default.NONE, Set.of("grid"),
      "1 to " + StudyValidator.MAX_GRID_AXIS, "evenly spaced grid points of a float or int range (a float range "
          + "needs them under grid)"),
  PARAM_WHEN("search.params.NAME.when", "activeWhen", Type.CONDITION, Default.NONE, Set.of(),
      "{parent: value} or {parent: [value, ...]}", "the parameter is active only while an earlier parameter has "
          + "one of these values"),
  POINTS_TO_EVALUATE("search.points_to_evaluate", "pointsToEvaluate", Type.POINTS, Default.of(List.of()), Set.of(),
      "a value for every active parameter", "configurations tried first, in order, before the sampler draws any"),
  N_STARTUP_TRIALS("search.n_startup_trials", "searchOptions.nStartupTrials", Type.WHOLE_NUMBER,
      Default.of(SearchSettings.DEFAULTS.nStartupTrials()), Set.of("tpe"), "at least 1",
      "random trials before the model is used, and the fewest results a rung needs to be modelled"),
  GAMMA("search.gamma", "searchOptions.gamma", Type.NUMBER, Default.of(SearchSettings.DEFAULTS.gamma()),
      Set.of("tpe"), "between 0 and 1, both excluded", "fraction of the results that form the good density l(x)"),
  N_EI_CANDIDATES("search.n_ei_candidates", "searchOptions.nEiCandidates", Type.WHOLE_NUMBER,
      Default.of(SearchSettings.DEFAULTS.nEiCandidates()), Set.of("tpe"), "1 to 10000",
      "candidates drawn from l(x), of which the one with the largest l(x)/g(x) is taken"),
  POPULATION_SIZE("search.population_size", "searchOptions.populationSize", Type.WHOLE_NUMBER,
      Default.of(SearchSettings.DEFAULTS.populationSize()), Set.of("evolution"), "2 to 100000",
      "the most recent trials with a result that form the population"),
  TOURNAMENT_SIZE("search.tournament_size", "searchOptions.tournamentSize", Type.WHOLE_NUMBER,
      Default.of(SearchSettings.DEFAULTS.tournamentSize()), Set.of("evolution"), "1 to population_size",
      "members drawn for each tournament"),
  MUTATION_PROBABILITY("search.mutation_probability", "searchOptions.mutationProbability", Type.NUMBER,
      Default.of(SearchSettings.DEFAULTS.mutationProbability()), Set.of("evolution"), "0 to 1",
      "chance that each parameter of a child is redrawn; at least one always is"),
  CROSSOVER_PROBABILITY("search.crossover_probability", "searchOptions.crossoverProbability", Type.NUMBER,
      Default.of(SearchSettings.DEFAULTS.crossoverProbability()), Set.of("evolution"), "0 to 1",
      "chance that a child is the uniform crossover of two tournament winners rather than a copy of one"),

  METHOD("scheduler.method", "scheduler", Type.CHOICE, Default.of(SchedulerKind.ASHA), Set.of(),
      choices(SchedulerKind.class), "the rule that decides which trials train further"),
  ETA("scheduler.eta", "eta", Type.WHOLE_NUMBER, Default.of(3), Set.of(), "at least 2",
      "reduction factor: the best 1/eta of a rung go on"),
  RESOURCE_NAME("scheduler.resource.name", "resourceName", Type.TEXT, Default.of("epoch"), Set.of(), "",
      "the unit of training budget (epoch, step, ...)"),
  MIN_RESOURCE("scheduler.resource.min", "minResource", Type.WHOLE_NUMBER, Default.of(1L), Set.of(), "at least 1",
      "resource of the first rung"),
  MAX_RESOURCE("scheduler.resource.max", "maxResource", Type.WHOLE_NUMBER, Default.REQUIRED, Set.of(),
      "at least resource.min", "resource of the top rung: a trial that reaches it is complete"),
  EARLY_STOPPING_RATE("scheduler.early_stopping_rate", "earlyStoppingRate", Type.WHOLE_NUMBER, Default.of(0),
      Set.of("asha", "asha_stopping", "mo_asha"), "at least 0, with resource.min * eta^s at most resource.max",
      "s: the first rung is at resource.min * eta^s"),
  PARALLELISM("scheduler.parallelism", "parallelism", Type.WHOLE_NUMBER, Default.of(4), Set.of(), "at least 1",
      "job slots of the study: the most jobs in flight at once"),
  MIN_RUNG_SIZE("scheduler.min_rung_size", "schedulerOptions.minRungSize", Type.WHOLE_NUMBER,
      Default.of(SchedulerSettings.DEFAULT_MIN_RUNG_SIZE), Set.of("asha", "asha_stopping", "hyperband_stopping",
      "mo_asha"), "at least 1", "a rung judges no result before it holds this many"),
  TIES("scheduler.ties", "schedulerOptions.ties", Type.CHOICE, Default.of(TiePolicy.EARLIER), Set.of("asha"),
      choices(TiePolicy.class), "which of two equal results ranks first (NaN always last)"),
  BRACKETS("scheduler.brackets", "schedulerOptions.brackets", Type.WHOLE_NUMBER,
      Default.derived("s_max + 1, every one the resources allow"), Set.of("async_hyperband", "hyperband_stopping",
      "hyperband"), "1 to s_max + 1", "number of brackets; hyperband keeps the most aggressive ones"),
  BRACKET_RULE("scheduler.bracket_rule", "schedulerOptions.bracketRule", Type.CHOICE,
      Default.of(BracketRule.ROUND_ROBIN), Set.of("async_hyperband", "hyperband_stopping"), choices(BracketRule.class),
      "how a new trial gets its bracket (weighted: Ray Tune's draw, seeded by search.seed)"),
  GRACE_PERIOD("scheduler.grace_period", "schedulerOptions.gracePeriod", Type.WHOLE_NUMBER,
      Default.derived("resource.min"), Set.of("median_stopping"), "0 to resource.max",
      "no trial is judged before this resource"),
  MIN_SAMPLES("scheduler.min_samples", "schedulerOptions.minSamples", Type.WHOLE_NUMBER,
      Default.of(SchedulerSettings.DEFAULT_MIN_SAMPLES), Set.of("median_stopping"), "at least 1",
      "other trials that must have reached a step before a trial is judged there"),
  PERTURBATION_INTERVAL("scheduler.perturbation_interval", "schedulerOptions.perturbationInterval",
      Type.WHOLE_NUMBER, Default.REQUIRED_BY_METHOD, Set.of("pbt"), "1 to below resource.max",
      "resource per segment; the population is looked at after each"),
  QUANTILE_FRACTION("scheduler.quantile_fraction", "schedulerOptions.quantileFraction", Type.NUMBER,
      Default.of(SchedulerSettings.DEFAULT_QUANTILE_FRACTION), Set.of("pbt"), "above 0, at most 0.5",
      "fraction of the population in the top and in the bottom quantile"),
  RESAMPLE_PROBABILITY("scheduler.resample_probability", "schedulerOptions.resampleProbability", Type.NUMBER,
      Default.of(SchedulerSettings.DEFAULT_RESAMPLE_PROBABILITY), Set.of("pbt"), "0 to 1",
      "chance that an explored parameter is redrawn rather than perturbed"),
  PERTURBATION_FACTORS("scheduler.perturbation_factors", "schedulerOptions.perturbationFactors", Type.NUMBERS,
      Default.of(SchedulerSettings.DEFAULT_PERTURBATION_FACTORS), Set.of("pbt"), "numbers above 0",
      "factors a perturbed numeric parameter is multiplied by"),
  HYPERPARAM_MUTATIONS("scheduler.hyperparam_mutations", "schedulerOptions.hyperparamMutations", Type.NAMES,
      Default.derived("every parameter"), Set.of("pbt"), "names of parameters",
      "the parameters PBT may change"),
  CHECKPOINTS("scheduler.checkpoints", "schedulerOptions.checkpoints", Type.BOOLEAN, Default.of(true), Set.of(),
      "", "whether the entrypoint writes checkpoints (pbt needs them)"),
  TIE_BREAK("scheduler.tie_break", "schedulerOptions.tieBreak", Type.CHOICE, Default.of(TieBreak.CROWDING_DISTANCE),
      Set.of("mo_asha"), choices(TieBreak.class), "order within a non-dominated front"),
  WEIGHTS("scheduler.weights", "schedulerOptions.weights", Type.NUMBERS, Default.derived("all 1"),
      Set.of("mo_asha"), "one number of at least 0 per objective", "weights of the objectives under tie_break "
          + "weighted_sum"),

  MAX_TRIALS("budget.max_trials", "maxTrials", Type.WHOLE_NUMBER, Default.REQUIRED, Set.of(), "at least 1",
      "the most trials the study starts (pbt: the population)"),
  MAX_DURATION("budget.max_duration", "maxDurationMs", Type.DURATION, Default.NONE, Set.of(), "above 0",
      "ends the study with status TIME_BUDGET after this long"),
  TARGET("budget.target", "target", Type.NUMBER, Default.NONE, Set.of(), "a finite number",
      "ends the study with status TARGET_REACHED when a trial at resource.max is at least this good"),
  LEASE("jobs.lease", "leaseMs", Type.DURATION, Default.of(600_000L), Set.of(), "at least 1s",
      "a job with no report for this long is issued again"),
  MAX_ATTEMPTS("jobs.max_attempts", "maxAttempts", Type.WHOLE_NUMBER, Default.of(3), Set.of(), "at least 1",
      "attempts of a job before its trial fails"),
  RUNNERS("runners", null, Type.WHOLE_NUMBER, Default.derived("scheduler.parallelism"), Set.of(), "at least 1",
      "local mode only: runner threads"),
  KEEP_CHECKPOINTS("keep_checkpoints", "keepCheckpoints", Type.BOOLEAN, Default.of(false), Set.of(), "",
      "keep every checkpoint; otherwise those of trials that train no further are deleted, and all but the best "
          + "trial's last once the study ends");

  /** The shape of a key's value in the study file. */
  public enum Type {
    TEXT("text"), WHOLE_NUMBER("whole number"), NUMBER("number"), BOOLEAN("true or false"),
    DURATION("duration (30s, 10m, 2h, PT30M)"), CHOICE("one of"), NUMBERS("list of numbers"),
    NAMES("list of names"), VALUES("list"), CONDITION("mapping"), PARAMS("mapping"), POINTS("list of mappings"),
    OBJECTIVES("list of {metric, mode}");

    private final String text;

    Type(final String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * A key's default: a value in {@code StudySpec} terms, or none, or one that depends on other keys.
   *
   * @param value the spec value an absent key takes, null if there is none
   * @param text how the default reads, null if it is the value itself
   * @param required whether the file must give the key
   */
  public record Default(Object value, String text, boolean required) {
    static final Default REQUIRED = new Default(null, "required", true);
    static final Default REQUIRED_BY_METHOD = new Default(null, "required", false);
    static final Default NONE = new Default(null, "none", false);

    static Default of(final Object value) {
      return new Default(value, null, false);
    }

    static Default derived(final String text) {
      return new Default(null, text, false);
    }
  }

  /** Spec fields that no key of their own sets, and why. */
  public static final Map<String, String> NOT_FILE_KEYS = Map.of(
      "searchOptions", "a record: each of its fields is a key under search",
      "schedulerOptions", "a record: each of its fields is a key under scheduler, or objectives",
      "name", "of a parameter: its key under search.params (the study's name is the key name)");

  /** The placeholder of the parameter's name in the paths of a parameter's keys. */
  public static final String PARAM = "NAME";

  private static final Map<String, StudyKey> BY_FIELD = Arrays.stream(values()).filter(k -> k.field != null)
      .collect(Collectors.toUnmodifiableMap(StudyKey::field, Function.identity()));

  private final String path;
  private final String field;
  private final Type type;
  private final Default byDefault;
  private final Set<String> methods;
  private final String allowed;
  private final String doc;

  StudyKey(final String path, final String field, final Type type, final Default byDefault,
      final Set<String> methods, final String allowed, final String doc) {
    this.path = path;
    this.field = field;
    this.type = type;
    this.byDefault = byDefault;
    this.methods = methods;
    this.allowed = allowed;
    this.doc = doc;
  }

  /** The key's path in the study file, such as {@code scheduler.resource.min}. */
  public String path() {
    return path;
  }

  /**
   * The spec field the key sets, such as {@code minResource} or {@code searchOptions.gamma}; a
   * parameter's field, such as {@code gridPoints}, for a key under {@code search.params.NAME}; null
   * for a key that sets none.
   */
  public String field() {
    return field;
  }

  public Type type() {
    return type;
  }

  public Default byDefault() {
    return byDefault;
  }

  /** How the default reads in the study file: {@code 10m}, {@code random}, {@code required}. */
  public String defaultText() {
    if (byDefault.text() != null) {
      return byDefault.text();
    }
    final Object value = byDefault.value();
    if (type == Type.DURATION) {
      return duration((Long) value);
    }
    return value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(value);
  }

  /** The methods (schedulers and samplers, by their study-file names) that read the key; empty if all do. */
  public Set<String> methods() {
    return methods;
  }

  /** Whether a study with this scheduler or sampler reads the key. */
  public boolean readBy(final Enum<?> method) {
    return methods.isEmpty() || methods.contains(fileName(method));
  }

  /** The values the key allows, as a reader would say them; empty if its type says all. */
  public String allowed() {
    return allowed;
  }

  public String doc() {
    return doc;
  }

  /** Whether the key is one of each parameter's, under {@code search.params.NAME}. */
  public boolean perParam() {
    return path.startsWith("search.params." + PARAM + ".");
  }

  /** The key's name within its section: {@code min} for {@code scheduler.resource.min}. */
  public String leaf() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** The key that sets a spec field (or a parameter's field), if any does. */
  public static Optional<StudyKey> byField(final String field) {
    return Optional.ofNullable(field == null ? null : BY_FIELD.get(field));
  }

  /** The key at a study-file path, if any. */
  public static Optional<StudyKey> byPath(final String path) {
    return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
  }

  /** The keys a study with this method reads: every key read by all methods, and the method's own. */
  public static List<StudyKey> readBy(final String method) {
    return Arrays.stream(values()).filter(k -> k.methods.isEmpty() || k.methods.contains(method)).toList();
  }

  /** Every method's study-file name: the schedulers, then the samplers. */
  public static List<String> methodNames() {
    return java.util.stream.Stream.concat(Arrays.stream(SchedulerKind.values()), Arrays.stream(SamplerKind.values()))
        .map(StudyKey::fileName).toList();
  }

  /** A method or enum value as the study file writes it: {@code median_stopping}, {@code tpe}. */
  public static String fileName(final Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String choices(final Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(StudyKey::fileName).collect(Collectors.joining(", "));
  }

  private static String duration(final long millis) {
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
