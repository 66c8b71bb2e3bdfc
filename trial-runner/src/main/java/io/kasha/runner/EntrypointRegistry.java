package io.kasha.runner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kasha.entrypoint.Entrypoint;
import io.kasha.objective.Objective;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.process.ProcessEntrypoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entrypoints a runner may run, by name: the processes registered in an entrypoints file and
 * the Java {@link Objective}s found on the class path. Jobs only name an entrypoint; what runs is
 * decided here, on the runner's side.
 *
 * <p>The file format:
 *
 * <pre>{@code
 * entrypoints:
 *   python-mlp:
 *     argv: [python3, train.py]      # required, non-empty; never run through a shell
 *     workdir: .                     # relative to this file's folder; default the folder
 *     env: {PYTHONUNBUFFERED: "1"}   # extra environment
 *     timeout: 30m                   # per segment; ISO-8601 or 30s/10m/2h; default 1h
 * }</pre>
 *
 * <p>An entry named like an objective is an error, as are two objectives of the same name. Every
 * error names the file, the entry and the field. Immutable.
 */
public final class EntrypointRegistry {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private static final String ROOT_FIELD = "entrypoints";
  private static final Set<String> ENTRY_FIELDS = Set.of("argv", "workdir", "env", "timeout");
  private static final String RESERVED_ENV_PREFIX = "KASHA_";
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final Map<String, Entrypoint> entrypoints;

  private EntrypointRegistry(final Map<String, Entrypoint> entrypoints) {
    this.entrypoints = Collections.unmodifiableMap(new TreeMap<>(entrypoints));
  }

  /** The processes of {@code file} and the objectives found by {@link ServiceLoader}. */
  public static EntrypointRegistry load(final Path file) {
    return load(file, discoverObjectives());
  }

  /** The processes of {@code file} and the given objectives. */
  public static EntrypointRegistry load(final Path file, final Collection<? extends Objective> objectives) {
    final Map<String, Entrypoint> all = objectiveEntrypoints(objectives);
    for (final ProcessEntrypoint process : parse(file)) {
      final Entrypoint clash = all.get(process.name());
      if (clash != null) {
        throw new EntrypointRegistryException(
            file + ": entrypoint '" + process.name() + "' is also the name of the Java objective "
                + ((ObjectiveEntrypoint) clash).objective().getClass().getName() + "; rename the entry");
      }
      all.put(process.name(), process);
    }
    return new EntrypointRegistry(all);
  }

  /** Only the objectives found by {@link ServiceLoader}: for runners without an entrypoints file. */
  public static EntrypointRegistry discover() {
    return new EntrypointRegistry(objectiveEntrypoints(discoverObjectives()));
  }

  /** Exactly the given entrypoints. */
  public static EntrypointRegistry of(final Collection<? extends Entrypoint> entrypoints) {
    final Map<String, Entrypoint> byName = new LinkedHashMap<>();
    for (final Entrypoint entrypoint : entrypoints) {
      if (byName.putIfAbsent(entrypoint.name(), entrypoint) != null) {
        throw new EntrypointRegistryException("two entrypoints are named '" + entrypoint.name() + "'");
      }
    }
    return new EntrypointRegistry(byName);
  }

  public Optional<Entrypoint> find(final String name) {
    return Optional.ofNullable(entrypoints.get(name));
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return entrypoints.keySet();
  }

  private static List<Objective> discoverObjectives() {
    final List<Objective> objectives = new ArrayList<>();
    try {
      ServiceLoader.load(Objective.class).forEach(objectives::add);
    } catch (ServiceConfigurationError e) {
      throw new EntrypointRegistryException("cannot load the Java objectives: " + e.getMessage(), e);
    }
    return objectives;
  }

  private static Map<String, Entrypoint> objectiveEntrypoints(final Collection<? extends Objective> objectives) {
    final Map<String, Entrypoint> byName = new LinkedHashMap<>();
    for (final Objective objective : objectives) {
      final String name = objective.name();
      if (name == null || name.isBlank()) {
        throw new EntrypointRegistryException(
            "Java objective " + objective.getClass().getName() + " has no name");
      }
      final Entrypoint other = byName.putIfAbsent(name, new ObjectiveEntrypoint(objective));
      if (other != null) {
        throw new EntrypointRegistryException(
            "Java objectives " + ((ObjectiveEntrypoint) other).objective().getClass().getName() + " and "
                + objective.getClass().getName() + " are both named '" + name + "'");
      }
    }
    return byName;
  }

  private static List<ProcessEntrypoint> parse(final Path file) {
    final JsonNode root = readYaml(file);
    final Path folder = file.toAbsolutePath().normalize().getParent();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isObject()) {
      throw new EntrypointRegistryException(file + ": expected a mapping with the field '" + ROOT_FIELD + "'");
    }
    for (final Map.Entry<String, JsonNode> field : root.properties()) {
      if (!ROOT_FIELD.equals(field.getKey())) {
        throw new EntrypointRegistryException(
            file + ": unknown field '" + field.getKey() + "' (expected only '" + ROOT_FIELD + "')");
      }
    }
    final JsonNode entries = root.path(ROOT_FIELD);
    if (entries.isMissingNode() || entries.isNull()) {
      return List.of();
    }
    if (!entries.isObject()) {
      throw new EntrypointRegistryException(file + ": '" + ROOT_FIELD + "' must be a mapping of names to entrypoints");
    }
    final List<ProcessEntrypoint> processes = new ArrayList<>();
    for (final Map.Entry<String, JsonNode> entry : entries.properties()) {
      processes.add(new Entry(file, folder, entry.getKey()).parse(entry.getValue()));
    }
    return processes;
  }

  private static JsonNode readYaml(final Path file) {
    if (!Files.isRegularFile(file)) {
      throw new EntrypointRegistryException(file + ": entrypoints file not found");
    }
    try {
      return YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new EntrypointRegistryException(file + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    } catch (IOException e) {
      throw new EntrypointRegistryException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** One entry of the file, parsed with errors that say where. */
  private record Entry(Path file, Path folder, String name) {

    ProcessEntrypoint parse(final JsonNode node) {
      if (name.isBlank()) {
        throw new EntrypointRegistryException(file + ": an entrypoint has an empty name");
      }
      if (!node.isObject()) {
        throw error("must be a mapping with at least 'argv'");
      }
      for (final Map.Entry<String, JsonNode> field : node.properties()) {
        if (!ENTRY_FIELDS.contains(field.getKey())) {
          throw error("unknown field '" + field.getKey() + "' (known: argv, workdir, env, timeout)");
        }
      }
      return new ProcessEntrypoint(name, argv(node.get("argv")), workdir(node.get("workdir")),
          env(node.get("env")), timeout(node.get("timeout")));
    }

    private List<String> argv(final JsonNode node) {
      if (node == null || node.isNull()) {
        throw fieldError("argv", "is required: the program and its arguments, as a list");
      }
      if (!node.isArray() || node.isEmpty()) {
        throw fieldError("argv", "must be a non-empty list of strings, such as [python3, train.py]");
      }
      final List<String> argv = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        final JsonNode element = node.get(i);
        if (!element.isValueNode() || element.isNull()) {
          throw fieldError("argv", "element " + i + " must be a string, got " + describe(element));
        }
        argv.add(element.asText());
      }
      if (argv.get(0).isBlank()) {
        throw fieldError("argv", "the first element must name a program");
      }
      return argv;
    }

    private Path workdir(final JsonNode node) {
      if (node == null || node.isNull()) {
        return folder;
      }
      if (!node.isTextual() || node.asText().isBlank()) {
        throw fieldError("workdir", "must be a path, got " + describe(node));
      }
      final Path workdir = folder.resolve(node.asText()).normalize();
      if (!Files.isDirectory(workdir)) {
        throw fieldError("workdir", workdir + " is not a directory");
      }
      return workdir;
    }

    private Map<String, String> env(final JsonNode node) {
      if (node == null || node.isNull()) {
        return Map.of();
      }
      if (!node.isObject()) {
        throw fieldError("env", "must be a mapping of variable names to values");
      }
      final Map<String, String> env = new LinkedHashMap<>();
      for (final Map.Entry<String, JsonNode> variable : node.properties()) {
        final String key = variable.getKey();
        if (key.isEmpty() || key.contains("=") || key.indexOf('\0') >= 0) {
          throw fieldError("env", "'" + key + "' is not a valid variable name");
        }
        if (key.toUpperCase(Locale.ROOT).startsWith(RESERVED_ENV_PREFIX)) {
          throw fieldError("env", "'" + key + "': names starting with " + RESERVED_ENV_PREFIX
              + " are reserved for the process protocol");
        }
        final JsonNode value = variable.getValue();
        if (!value.isValueNode() || value.isNull()) {
          // the value itself is not echoed: it may be a secret
          throw fieldError("env", "the value of '" + key + "' must be a string, number or boolean");
        }
        env.put(key, value.asText());
      }
      return env;
    }

    private Duration timeout(final JsonNode node) {
      if (node == null || node.isNull()) {
        return DEFAULT_TIMEOUT;
      }
      if (!node.isTextual()) {
        throw fieldError("timeout", "must be a duration with a unit (30s, 10m, 2h) or ISO-8601 (PT30M), got "
            + describe(node));
      }
      try {
        return Durations.parse(node.asText());
      } catch (IllegalArgumentException e) {
        throw fieldError("timeout", e.getMessage());
      }
    }

    private EntrypointRegistryException error(final String message) {
      return new EntrypointRegistryException(file + ": entrypoint '" + name + "' " + message);
    }

    private EntrypointRegistryException fieldError(final String field, final String message) {
      return new EntrypointRegistryException(file + ": entrypoint '" + name + "', field '" + field + "': " + message);
    }

    private static String describe(final JsonNode node) {
      if (node.isObject()) {
        return "a mapping";
      }
      if (node.isArray()) {
        return "a list";
      }
      return node.isNull() ? "nothing" : "'" + node.asText() + "'";
    }
  }
}
