package io.kasha.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A study file (YAML) read into a {@link StudySpec}. Every problem is collected, each naming its
 * YAML path, the value found and what is allowed, so a user fixes the file in one pass:
 *
 * <pre>
 * name: quickstart
 * entrypoint: quickstart-mlp
 * objective: {metric: val_loss, mode: min}
 * search:
 *   sampler: tpe                  # random | grid | sobol | tpe | evolution (default random)
 *   seed: 7                       # default 0
 *   n_startup_trials: 10          # tpe only; also gamma, n_ei_candidates
 *   params:
 *     optimizer: {choices: [sgd, adam]}
 *     momentum: {type: float, low: 0.5, high: 0.99, when: {optimizer: sgd}}
 *     hidden: {type: int, low: 8, high: 64, log: true}
 *     dropout: {type: float, low: 0.0, high: 0.5, points: 5}
 *   points_to_evaluate:           # tried first, in order
 *     - {optimizer: adam, hidden: 32, dropout: 0.1}
 * scheduler:
 *   method: asha                  # asha | asha_stopping | async_hyperband | hyperband_stopping |
 *                                 # median_stopping | pbt | mo_asha | sha | hyperband (default asha)
 *   eta: 3                        # default 3
 *   resource: {name: epoch, min: 1, max: 27}
 *   early_stopping_rate: 0        # default 0
 *   parallelism: 4                # default 4
 *   min_rung_size: 1              # asha, asha_stopping, hyperband_stopping, mo_asha
 *   ties: earlier                 # asha: earlier or later of two equal results first
 *   brackets: 4                   # async_hyperband, hyperband_stopping, hyperband; bracket_rule
 *                                 # only the first two
 *   grace_period: 1               # median_stopping; also min_samples
 *   perturbation_interval: 3      # pbt; also quantile_fraction, resample_probability,
 *                                 # perturbation_factors, hyperparam_mutations
 *   checkpoints: true             # whether the entrypoint writes checkpoints (pbt needs them)
 *   tie_break: crowding_distance  # mo_asha; also weights
 * objectives:                     # mo_asha only, instead of objective; the first is the study's metric
 *   - {metric: val_loss, mode: min}
 *   - {metric: val_accuracy, mode: max}
 * budget: {max_trials: 27, max_duration: 10m, target: 0.05}
 * jobs: {lease: 10m, max_attempts: 3}
 * runners: 4                      # local mode only; default: parallelism
 * keep_checkpoints: false         # default false: checkpoints of trials that train no further are
 *                                 # deleted, and all but the best trial's last once the study ends
 * </pre>
 */
public record StudyFile(StudySpec spec, int runners) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Thrown with every problem found in a study file. */
  public static final class InvalidStudyFile extends Exception {
    private final List<String> problems;

    InvalidStudyFile(final Path file, final List<String> problems) {
      super(file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  - "
          + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Study-spec field names (as the scheduler reports problems) and their paths in a study file. */
  private static final Map<String, String> FILE_PATHS = Map.ofEntries(
      Map.entry("metric", "objective.metric"),
      Map.entry("mode", "objective.mode"),
      Map.entry("sampler", "search.sampler"),
      Map.entry("params", "search.params"),
      Map.entry("eta", "scheduler.eta"),
      Map.entry("minResource", "scheduler.resource.min"),
      Map.entry("maxResource", "scheduler.resource.max"),
      Map.entry("resourceName", "scheduler.resource.name"),
      Map.entry("earlyStoppingRate", "scheduler.early_stopping_rate"),
      Map.entry("parallelism", "scheduler.parallelism"),
      Map.entry("maxTrials", "budget.max_trials"),
      Map.entry("maxDurationMs", "budget.max_duration"),
      Map.entry("target", "budget.target"),
      Map.entry("leaseMs", "jobs.lease"),
      Map.entry("maxAttempts", "jobs.max_attempts"),
      Map.entry("searchOptions.nStartupTrials", "search.n_startup_trials"),
      Map.entry("searchOptions.gamma", "search.gamma"),
      Map.entry("searchOptions.nEiCandidates", "search.n_ei_candidates"),
      Map.entry("searchOptions.populationSize", "search.population_size"),
      Map.entry("searchOptions.tournamentSize", "search.tournament_size"),
      Map.entry("searchOptions.mutationProbability", "search.mutation_probability"),
      Map.entry("searchOptions.crossoverProbability", "search.crossover_probability"),
      Map.entry("scheduler", "scheduler.method"),
      Map.entry("min_rung_size", "scheduler.min_rung_size"),
      Map.entry("brackets", "scheduler.brackets"),
      Map.entry("bracket_rule", "scheduler.bracket_rule"),
      Map.entry("ties", "scheduler.ties"),
      Map.entry("grace_period", "scheduler.grace_period"),
      Map.entry("min_samples", "scheduler.min_samples"),
      Map.entry("perturbation_interval", "scheduler.perturbation_interval"),
      Map.entry("quantile_fraction", "scheduler.quantile_fraction"),
      Map.entry("resample_probability", "scheduler.resample_probability"),
      Map.entry("perturbation_factors", "scheduler.perturbation_factors"),
      Map.entry("hyperparam_mutations", "scheduler.hyperparam_mutations"),
      Map.entry("checkpoints", "scheduler.checkpoints"),
      Map.entry("tie_break", "scheduler.tie_break"),
      Map.entry("weights", "scheduler.weights"));

  /** The study-file keys of the scheduling rules' knobs under {@code scheduler}. */
  private static final Set<String> SCHEDULER_OPTIONS = Set.of("min_rung_size", "ties", "brackets", "bracket_rule",
      "grace_period", "min_samples", "perturbation_interval", "quantile_fraction", "resample_probability",
      "perturbation_factors", "hyperparam_mutations", "checkpoints", "tie_break", "weights");

  /** The study-file keys of the sampler knobs under {@code search}. */
  private static final Set<String> SEARCH_OPTIONS = Set.of("n_startup_trials", "gamma", "n_ei_candidates",
      "population_size", "tournament_size", "mutation_probability", "crossover_probability");

  private static final java.util.regex.Pattern OTHER_SAMPLER =
      java.util.regex.Pattern.compile("only the (\\w+) sampler reads it \\(sampler is (\\w+)\\); remove it or set sampler to \\w+");

  private static final java.util.regex.Pattern PARAM_FIELD =
      java.util.regex.Pattern.compile("^params\\[\\d+\\] '([^']*)'(\\.\\w+)?");

  /**
   * A problem reported against the study spec, restated with the study file's paths:
   * {@code "params[0] 'lr'.low: ..."} becomes {@code "search.params.lr.low: ..."}, {@code "eta: ..."}
   * becomes {@code "scheduler.eta: ..."}.
   */
  public static String inFileTerms(final String problem) {
    final java.util.regex.Matcher param = PARAM_FIELD.matcher(problem);
    if (param.find()) {
      final String field = param.group(2) == null ? ""
          : param.group(2).replace("gridPoints", "points").replace("activeWhen", "when");
      return "search.params." + param.group(1) + field + problem.substring(param.end()).replace("gridPoints:", "points:");
    }
    if (problem.startsWith("pointsToEvaluate[")) {
      return "search.points_to_evaluate" + problem.substring("pointsToEvaluate".length());
    }
    final int colon = problem.indexOf(':');
    final String field = colon < 0 ? problem : problem.substring(0, colon);
    final int index = field.indexOf('[');
    final String path = FILE_PATHS.get(index < 0 ? field : field.substring(0, index));
    if (path == null) {
      return problem;
    }
    final String rest = (index < 0 ? "" : field.substring(index)) + problem.substring(field.length())
        .replace("(activeWhen)", "(when)")
        .replace("gridPoints", "points")
        .replace("(scheduler is ", "(scheduler.method is ")
        .replace("set scheduler to ", "set scheduler.method to ");
    final java.util.regex.Matcher sampler = OTHER_SAMPLER.matcher(rest);
    return path + (sampler.find()
        ? sampler.replaceFirst("only the " + sampler.group(1).toLowerCase(Locale.ROOT) + " sampler reads it (search.sampler is "
            + sampler.group(2).toLowerCase(Locale.ROOT) + "); remove it or set search.sampler: "
            + sampler.group(1).toLowerCase(Locale.ROOT))
        : rest);
  }

  public static StudyFile read(final Path file) throws IOException, InvalidStudyFile {
    final JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidStudyFile(file, List.of("not valid YAML: " + e.getOriginalMessage()));
    }
    final Reader reader = new Reader();
    final StudyFile study = reader.study(root);
    if (!reader.problems.isEmpty()) {
      throw new InvalidStudyFile(file, reader.problems);
    }
    return study;
  }

  /** Walks the YAML tree, collecting problems instead of stopping at the first. */
  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    StudyFile study(final JsonNode root) {
      if (root == null || !root.isObject()) {
        problems.add("the file must be a YAML mapping with at least name, entrypoint, objective, search, "
            + "scheduler and budget");
        return null;
      }
      allowKeys(root, "", Set.of("name", "entrypoint", "objective", "objectives", "search", "scheduler", "budget",
          "jobs", "runners", "keep_checkpoints"));
      final StudySpec.Builder spec = StudySpec.newBuilder();
      spec.setName(text(root, "", "name", true, ""));
      spec.setEntrypoint(text(root, "", "entrypoint", true, ""));

      final List<ObjectiveSpec> objectives = objectives(root.get("objectives"));
      final boolean single = root.has("objective") || objectives.isEmpty();
      final JsonNode objective = single ? section(root, "objective", true) : objectiveNode(objectives.get(0));
      allowKeys(objective, "objective.", Set.of("metric", "mode"));
      spec.setMetric(text(objective, "objective.", "metric", true, ""));
      spec.setMode(choice(objective, "objective.", "mode", Mode.class, null));

      final JsonNode search = section(root, "search", true);
      final Set<String> searchKeys = new java.util.HashSet<>(Set.of("sampler", "seed", "params", "points_to_evaluate"));
      searchKeys.addAll(SEARCH_OPTIONS);
      allowKeys(search, "search.", searchKeys);
      spec.setSampler(choice(search, "search.", "sampler", SamplerKind.class, SamplerKind.RANDOM));
      spec.setSeed(integer(search, "search.", "seed", 0L));
      spec.setParams(params(search.get("params")));
      spec.setPointsToEvaluate(points(search.get("points_to_evaluate")));
      spec.setSearchOptions(searchOptions(search));

      final JsonNode scheduler = section(root, "scheduler", true);
      final Set<String> schedulerKeys = new java.util.HashSet<>(Set.of("method", "eta", "resource",
          "early_stopping_rate", "parallelism"));
      schedulerKeys.addAll(SCHEDULER_OPTIONS);
      allowKeys(scheduler, "scheduler.", schedulerKeys);
      spec.setScheduler(choice(scheduler, "scheduler.", "method", SchedulerKind.class, SchedulerKind.ASHA));
      spec.setSchedulerOptions(schedulerOptions(scheduler, objectives));
      spec.setEta((int) integer(scheduler, "scheduler.", "eta", 3L));
      spec.setEarlyStoppingRate((int) integer(scheduler, "scheduler.", "early_stopping_rate", 0L));
      spec.setParallelism((int) integer(scheduler, "scheduler.", "parallelism", 4L));
      final JsonNode resource = section(scheduler, "resource", true, "scheduler.");
      allowKeys(resource, "scheduler.resource.", Set.of("name", "min", "max"));
      spec.setResourceName(text(resource, "scheduler.resource.", "name", false, "epoch"));
      spec.setMinResource(integer(resource, "scheduler.resource.", "min", 1L));
      spec.setMaxResource(integer(resource, "scheduler.resource.", "max", null));

      final JsonNode budget = section(root, "budget", true);
      allowKeys(budget, "budget.", Set.of("max_trials", "max_duration", "target"));
      spec.setMaxTrials((int) integer(budget, "budget.", "max_trials", null));
      final Duration maxDuration = duration(budget, "budget.", "max_duration", null);
      spec.setMaxDurationMs(maxDuration == null ? null : maxDuration.toMillis());
      spec.setTarget(number(budget, "budget.", "target", null));

      final JsonNode jobs = section(root, "jobs", false);
      allowKeys(jobs, "jobs.", Set.of("lease", "max_attempts"));
      spec.setLeaseMs(duration(jobs, "jobs.", "lease", Duration.ofMinutes(10)).toMillis());
      spec.setMaxAttempts((int) integer(jobs, "jobs.", "max_attempts", 3L));

      spec.setKeepCheckpoints(bool(root, "", "keep_checkpoints", false));

      final int runners = (int) integer(root, "", "runners", (long) spec.getParallelism());
      if (runners < 1) {
        problems.add("runners: must be at least 1 (got " + runners + ")");
      }
      return new StudyFile(spec.build(), runners);
    }

    List<ParamSpec> params(final JsonNode params) {
      final List<ParamSpec> result = new ArrayList<>();
      if (params == null || !params.isObject() || params.isEmpty()) {
        problems.add("search.params: required, a mapping of parameter name to {choices: [...]} or "
            + "{type: float|int, low: ..., high: ..., log: true|false, points: N}");
        return result;
      }
      final Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
      while (fields.hasNext()) {
        final Map.Entry<String, JsonNode> field = fields.next();
        final String path = "search.params." + field.getKey() + ".";
        final JsonNode node = field.getValue();
        if (!node.isObject()) {
          problems.add(path.substring(0, path.length() - 1) + ": expected a mapping such as {choices: [a, b]} or "
              + "{type: float, low: 0.0, high: 1.0}");
          continue;
        }
        allowKeys(node, path, Set.of("type", "choices", "low", "high", "log", "points", "when"));
        final ParamSpec.Builder param = ParamSpec.newBuilder().setName(field.getKey());
        if (node.has("when")) {
          param.setActiveWhen(condition(node.get("when"), path + "when"));
        }
        if (node.has("choices")) {
          param.setType(ParamType.CATEGORICAL);
          param.setChoices(choices(node.get("choices"), path + "choices"));
          if (node.has("type") && !"categorical".equalsIgnoreCase(node.get("type").asText())) {
            problems.add(path + "type: a parameter with choices is categorical (got '" + node.get("type").asText()
                + "'); remove type or the choices");
          }
        } else {
          final String type = text(node, path, "type", true, "float").toLowerCase(Locale.ROOT);
          switch (type) {
            case "float" -> param.setType(ParamType.FLOAT);
            case "int" -> param.setType(ParamType.INT);
            default -> {
              problems.add(path + "type: unknown type '" + type + "' (allowed: float, int; or give choices)");
              param.setType(ParamType.FLOAT);
            }
          }
          param.setLow(number(node, path, "low", null));
          param.setHigh(number(node, path, "high", null));
          param.setLog(bool(node, path, "log", false));
          final Long points = node.has("points") ? integer(node, path, "points", null) : null;
          param.setGridPoints(points == null ? null : points.intValue());
        }
        result.add(param.build());
      }
      return result;
    }

    /** {@code when: {parent: value}} or {@code when: {parent: [value, ...]}}. */
    ParamCondition condition(final JsonNode node, final String path) {
      if (!node.isObject() || node.size() != 1) {
        problems.add(path + ": expected one parent parameter and its value or values, for example "
            + "{optimizer: sgd} or {optimizer: [sgd, rmsprop]} (got " + node + ")");
        return null;
      }
      final Map.Entry<String, JsonNode> parent = node.fields().next();
      final JsonNode values = parent.getValue().isArray() ? parent.getValue()
          : YAML.createArrayNode().add(parent.getValue());
      return ParamCondition.newBuilder().setParent(parent.getKey()).setValues(choices(values, path + "." + parent.getKey()))
          .build();
    }

    /** {@code points_to_evaluate}: a list of mappings of parameter name to value. */
    List<Map<String, Object>> points(final JsonNode node) {
      final List<Map<String, Object>> points = new ArrayList<>();
      if (node == null || node.isNull()) {
        return points;
      }
      if (!node.isArray()) {
        problems.add("search.points_to_evaluate: expected a list of mappings of parameter name to value, for "
            + "example [{lr: 0.01, layers: 2}] (got " + node + ")");
        return points;
      }
      for (int i = 0; i < node.size(); i++) {
        final String path = "search.points_to_evaluate[" + i + "]";
        final JsonNode point = node.get(i);
        if (!point.isObject() || point.isEmpty()) {
          problems.add(path + ": expected a mapping of parameter name to value, for example {lr: 0.01} (got "
              + point + ")");
          continue;
        }
        final Map<String, Object> values = new java.util.LinkedHashMap<>();
        point.fields().forEachRemaining(entry -> {
          final List<Object> value = choices(YAML.createArrayNode().add(entry.getValue()), path + "." + entry.getKey());
          if (!value.isEmpty()) {
            values.put(entry.getKey(), value.get(0));
          }
        });
        points.add(values);
      }
      return points;
    }

    /**
     * The sampler knobs set under {@code search}, or null if none is. Whether they fit the sampler is
     * the validator's call, whose message names the sampler that reads them.
     */
    SearchOptions searchOptions(final JsonNode search) {
      final SearchOptions.Builder options = SearchOptions.newBuilder();
      if (SEARCH_OPTIONS.stream().noneMatch(search::has)) {
        return null;
      }
      final String p = "search.";
      options.setNStartupTrials(optionalInt(search, "search.", "n_startup_trials"));
      options.setGamma(number(search, p, "gamma", null));
      options.setNEiCandidates(optionalInt(search, "search.", "n_ei_candidates"));
      options.setPopulationSize(optionalInt(search, "search.", "population_size"));
      options.setTournamentSize(optionalInt(search, "search.", "tournament_size"));
      options.setMutationProbability(number(search, p, "mutation_probability", null));
      options.setCrossoverProbability(number(search, p, "crossover_probability", null));
      return options.build();
    }

    /**
     * The scheduling rule's knobs set under {@code scheduler} and the objectives, or null if none is
     * set. Whether they fit the rule is the validator's call, whose message names the rule that reads them.
     */
    SchedulerOptions schedulerOptions(final JsonNode scheduler, final List<ObjectiveSpec> objectives) {
      if (SCHEDULER_OPTIONS.stream().noneMatch(scheduler::has) && objectives.isEmpty()) {
        return null;
      }
      final String p = "scheduler.";
      final SchedulerOptions.Builder options = SchedulerOptions.newBuilder()
          .setMinRungSize(optionalLong(scheduler, p, "min_rung_size"))
          .setBrackets(optionalInt(scheduler, p, "brackets"))
          .setBracketRule(scheduler.has("bracket_rule") ? text(scheduler, p, "bracket_rule", false, null) : null)
          .setTies(scheduler.has("ties") ? text(scheduler, p, "ties", false, null) : null)
          .setGracePeriod(optionalLong(scheduler, p, "grace_period"))
          .setMinSamples(optionalInt(scheduler, p, "min_samples"))
          .setPerturbationInterval(optionalLong(scheduler, p, "perturbation_interval"))
          .setQuantileFraction(number(scheduler, p, "quantile_fraction", null))
          .setResampleProbability(number(scheduler, p, "resample_probability", null))
          .setPerturbationFactors(numbers(scheduler.get("perturbation_factors"), p + "perturbation_factors"))
          .setHyperparamMutations(names(scheduler.get("hyperparam_mutations"), p + "hyperparam_mutations"))
          .setCheckpoints(bool(scheduler, p, "checkpoints", true))
          .setObjectives(objectives)
          .setTieBreak(scheduler.has("tie_break") ? text(scheduler, p, "tie_break", false, null) : null)
          .setWeights(numbers(scheduler.get("weights"), p + "weights"));
      return options.build();
    }

    /** {@code objectives}: a list of {metric, mode}; empty if absent. */
    List<ObjectiveSpec> objectives(final JsonNode node) {
      final List<ObjectiveSpec> objectives = new ArrayList<>();
      if (node == null || node.isNull()) {
        return objectives;
      }
      if (!node.isArray()) {
        problems.add("objectives: expected a list such as [{metric: val_loss, mode: min}, {metric: latency, "
            + "mode: min}] (got " + node + ")");
        return objectives;
      }
      for (int i = 0; i < node.size(); i++) {
        final String path = "objectives[" + i + "].";
        final JsonNode item = node.get(i);
        if (!item.isObject()) {
          problems.add(path.substring(0, path.length() - 1) + ": expected {metric: ..., mode: min|max} (got "
              + item + ")");
          continue;
        }
        allowKeys(item, path, Set.of("metric", "mode"));
        objectives.add(ObjectiveSpec.newBuilder().setMetric(text(item, path, "metric", true, ""))
            .setMode(choice(item, path, "mode", Mode.class, null)).build());
      }
      return objectives;
    }

    private static JsonNode objectiveNode(final ObjectiveSpec objective) {
      return YAML.createObjectNode().put("metric", objective.getMetric())
          .put("mode", objective.getMode().name().toLowerCase(Locale.ROOT));
    }

    List<Double> numbers(final JsonNode node, final String path) {
      final List<Double> values = new ArrayList<>();
      if (node == null || node.isNull()) {
        return values;
      }
      if (!node.isArray()) {
        problems.add(path + ": expected a list of numbers, for example [1.2, 0.8] (got " + node + ")");
        return values;
      }
      for (final JsonNode value : node) {
        if (value.isNumber()) {
          values.add(value.doubleValue());
        } else {
          problems.add(path + ": values must be numbers (got " + value + ")");
        }
      }
      return values;
    }

    List<String> names(final JsonNode node, final String path) {
      final List<String> values = new ArrayList<>();
      if (node == null || node.isNull()) {
        return values;
      }
      if (!node.isArray()) {
        problems.add(path + ": expected a list of parameter names, for example [lr, momentum] (got " + node + ")");
        return values;
      }
      for (final JsonNode value : node) {
        if (value.isTextual()) {
          values.add(value.textValue());
        } else {
          problems.add(path + ": values must be parameter names (got " + value + ")");
        }
      }
      return values;
    }

    private Integer optionalInt(final JsonNode node, final String prefix, final String key) {
      return node.has(key) && !node.get(key).isNull() ? (int) integer(node, prefix, key, 0L) : null;
    }

    private Long optionalLong(final JsonNode node, final String prefix, final String key) {
      return node.has(key) && !node.get(key).isNull() ? integer(node, prefix, key, 0L) : null;
    }

    List<Object> choices(final JsonNode node, final String path) {
      final List<Object> values = new ArrayList<>();
      if (!node.isArray() || node.isEmpty()) {
        problems.add(path + ": expected a non-empty list, for example [0.1, 0.01]");
        return values;
      }
      for (final JsonNode value : node) {
        if (value.isBoolean()) {
          values.add(value.booleanValue());
        } else if (value.isIntegralNumber()) {
          values.add(value.longValue());
        } else if (value.isNumber()) {
          values.add(value.doubleValue());
        } else if (value.isTextual()) {
          values.add(value.textValue());
        } else {
          problems.add(path + ": values must be numbers, strings or booleans (got " + value + ")");
        }
      }
      return values;
    }

    JsonNode section(final JsonNode parent, final String key, final boolean required) {
      return section(parent, key, required, "");
    }

    JsonNode section(final JsonNode parent, final String key, final boolean required, final String prefix) {
      final JsonNode node = parent.get(key);
      if (node == null || node.isNull()) {
        if (required) {
          problems.add(prefix + key + ": required section is missing");
        }
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        problems.add(prefix + key + ": expected a mapping (got " + node + ")");
        return YAML.createObjectNode();
      }
      return node;
    }

    void allowKeys(final JsonNode node, final String prefix, final Set<String> allowed) {
      node.fieldNames().forEachRemaining(name -> {
        if (!allowed.contains(name)) {
          problems.add(prefix + name + ": unknown key (allowed: " + String.join(", ", allowed.stream().sorted()
              .toList()) + ")");
        }
      });
    }

    String text(final JsonNode node, final String prefix, final String key, final boolean required,
        final String fallback) {
      final JsonNode value = node.get(key);
      if (value != null && value.isContainerNode()) {
        problems.add(prefix + key + ": expected text (got " + value + ")");
        return fallback;
      }
      if (value == null || value.isNull() || value.asText().isBlank()) {
        if (required) {
          problems.add(prefix + key + ": required");
        }
        return fallback;
      }
      return value.asText();
    }

    <E extends Enum<E>> E choice(final JsonNode node, final String prefix, final String key, final Class<E> type,
        final E fallback) {
      final String allowed = String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
          .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
      final JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        if (fallback == null) {
          problems.add(prefix + key + ": required (allowed: " + allowed + ")");
          return type.getEnumConstants()[0];
        }
        return fallback;
      }
      try {
        return Enum.valueOf(type, value.asText().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(prefix + key + ": unknown value '" + value.asText() + "' (allowed: " + allowed + ")");
        return fallback == null ? type.getEnumConstants()[0] : fallback;
      }
    }

    long integer(final JsonNode node, final String prefix, final String key, final Long fallback) {
      final JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        if (fallback == null) {
          problems.add(prefix + key + ": required, a whole number");
          return 0;
        }
        return fallback;
      }
      if (!value.canConvertToExactIntegral() || !value.isNumber()) {
        problems.add(prefix + key + ": expected a whole number (got " + value + ")");
        return fallback == null ? 0 : fallback;
      }
      return value.asLong();
    }

    Double number(final JsonNode node, final String prefix, final String key, final Double fallback) {
      final JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return fallback;
      }
      if (!value.isNumber()) {
        problems.add(prefix + key + ": expected a number (got " + value + ")");
        return fallback;
      }
      return value.asDouble();
    }

    boolean bool(final JsonNode node, final String prefix, final String key, final boolean fallback) {
      final JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return fallback;
      }
      if (!value.isBoolean()) {
        problems.add(prefix + key + ": expected true or false (got " + value + ")");
        return fallback;
      }
      return value.booleanValue();
    }

    Duration duration(final JsonNode node, final String prefix, final String key, final Duration fallback) {
      final JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return fallback;
      }
      try {
        return io.kasha.runner.Durations.parse(value.asText());
      } catch (IllegalArgumentException e) {
        problems.add(prefix + key + ": " + e.getMessage());
        return fallback;
      }
    }
  }
}
