package io.kasha.cli.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.SearchOptions;
import io.kasha.schemas.StudySpec;
import io.kasha.spec.StudyKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A study file (YAML) read into a {@link StudySpec}. Its keys, their types and defaults are the
 * catalogue's ({@link StudyKey}; {@code kasha keys} prints them). Every problem is collected, each
 * naming its YAML path, the value found and what is allowed, so a user fixes the file in one pass.
 * Whether the values fit together is the validator's call ({@code StudyValidator}), whose problems
 * read in the file's terms through {@code Problem.inFileTerms()}.
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

  public static StudyFile read(final Path file) throws IOException, InvalidStudyFile {
    final JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new InvalidStudyFile(file, List.of("not valid YAML: " + e.getOriginalMessage()));
    }
    final Reader reader = new Reader();
    final StudyFile study = reader.study(root);
    if (!reader.problems.isEmpty()) {
      throw new InvalidStudyFile(file, reader.problems);
    }
    return study;
  }

  /** Walks the YAML tree key by key of the catalogue, collecting problems instead of stopping at the first. */
  private static final class Reader extends FileValues {
    private final Map<String, JsonNode> sections = new HashMap<>();

    StudyFile study(final JsonNode root) {
      if (root == null || !root.isObject()) {
        problems.add("the file must be a YAML mapping with at least name, entrypoint, objective, search, "
            + "scheduler and budget");
        return null;
      }
      sections.put("", root);
      allowKeys(root, "", children(""));
      final List<ObjectiveSpec> objectives = objectives(root.get(StudyKey.OBJECTIVES.path()));
      if (!root.has("objective") && !objectives.isEmpty()) {
        sections.put("objective", YAML.createObjectNode().put("metric", objectives.get(0).getMetric())
            .put("mode", StudyKey.fileName(objectives.get(0).getMode())));
      }
      final StudySpec spec = new StudySpec();
      final SearchOptions search = SearchOptions.newBuilder().build();
      final SchedulerOptions scheduler = SchedulerOptions.newBuilder().setObjectives(objectives).build();
      boolean searchSet = false;
      boolean schedulerSet = !objectives.isEmpty();
      for (final StudyKey key : StudyKey.values()) {
        if (key.field() == null || key.perParam() || key == StudyKey.OBJECTIVES) {
          continue;
        }
        final JsonNode node = at(key);
        if (key.field().startsWith("searchOptions.")) {
          searchSet |= put(search, key, node);
        } else if (key.field().startsWith("schedulerOptions.")) {
          schedulerSet |= put(scheduler, key, node);
        } else if (key == StudyKey.PARAMS) {
          spec.setParams(params(node));
        } else if (key == StudyKey.POINTS_TO_EVALUATE) {
          spec.setPointsToEvaluate(points(node));
        } else {
          put(spec, key, node);
        }
      }
      spec.setSearchOptions(searchSet ? search : null);
      spec.setSchedulerOptions(schedulerSet ? scheduler : null);
      final JsonNode runnersNode = at(StudyKey.RUNNERS);
      final int runners = absent(runnersNode) ? spec.getParallelism()
          : (int) (long) Optional.ofNullable(read(StudyKey.RUNNERS, runnersNode)).orElse(1L);
      if (runners < 1) {
        problems.add(StudyKey.RUNNERS.path() + ": must be at least 1 (got " + runners + ")");
      }
      return new StudyFile(spec, runners);
    }

    /**
     * Sets the key's field of the record from the file; if the file leaves it out, a spec field takes
     * the catalogue's default (a placeholder for a required key, and a problem) and an option stays
     * unset. True if the file set it.
     */
    private boolean put(final SpecificRecordBase record, final StudyKey key, final JsonNode node) {
      final String name = key.field().substring(key.field().indexOf('.') + 1);
      final Schema.Field field = record.getSchema().getField(name);
      if (absent(node)) {
        if (key.byDefault().required()) {
          problems.add(key.path() + ": required" + switch (key.type()) {
            case CHOICE -> " (allowed: " + key.allowed() + ")";
            case WHOLE_NUMBER -> ", a whole number";
            default -> "";
          });
        }
        if (record instanceof StudySpec) {
          record.put(name, as(key, field.schema(), key.byDefault().value()));
        }
        return false;
      }
      record.put(name, as(key, field.schema(), read(key, node)));
      return true;
    }

    /** The file's value of a key, in the spec's terms; null after a problem. */
    private Object read(final StudyKey key, final JsonNode value) {
      final String path = key.path();
      return switch (key.type()) {
        case TEXT -> text(value, path);
        case WHOLE_NUMBER -> integer(value, path);
        case NUMBER -> number(value, path);
        case BOOLEAN -> bool(value, path);
        case DURATION -> duration(value, path);
        case CHOICE -> value.asText();
        case NUMBERS -> numbers(value, path);
        case NAMES -> names(value, path);
        default -> throw new IllegalArgumentException("not a single value: " + key);
      };
    }

    /** A value as the field's schema holds it: an int or a long, an enum constant, a placeholder for none. */
    private Object as(final StudyKey key, final Schema schema, final Object value) {
      final Schema type = schema.isUnion() ? schema.getTypes().get(schema.getTypes().size() - 1) : schema;
      if (value == null && schema.isNullable()) {
        return null;
      }
      return switch (type.getType()) {
        case INT -> value instanceof Number n ? n.intValue() : 0;
        case LONG -> value instanceof Number n ? n.longValue() : 0L;
        case STRING -> value == null ? "" : value.toString();
        case ENUM -> choice(key, type, value);
        default -> value;
      };
    }

    /** The enum constant a file's value names; a problem (and the first constant) if it names none. */
    private Object choice(final StudyKey key, final Schema type, final Object value) {
      final Class<?> enumType = new org.apache.avro.specific.SpecificData().getClass(type);
      final List<Object> constants = Arrays.asList((Object[]) enumType.getEnumConstants());
      if (value instanceof Enum<?>) {
        return value;
      }
      final String text = value == null ? "" : value.toString();
      return constants.stream().filter(c -> ((Enum<?>) c).name().equalsIgnoreCase(text.trim())).findFirst()
          .orElseGet(() -> {
            if (value != null) {
              problems.add(key.path() + ": unknown value '" + text + "' (allowed: " + key.allowed() + ")");
            }
            return constants.get(0);
          });
    }

    /** The node at a key's path; null if its section or the key is missing. */
    private JsonNode at(final StudyKey key) {
      final int dot = key.path().lastIndexOf('.');
      return section(dot < 0 ? "" : key.path().substring(0, dot)).get(key.leaf());
    }

    /** The mapping at a section's path, its keys checked against the catalogue's; empty if it is missing. */
    private JsonNode section(final String path) {
      final JsonNode known = sections.get(path);
      if (known != null) {
        return known;
      }
      final int dot = path.lastIndexOf('.');
      final JsonNode node = section(dot < 0 ? "" : path.substring(0, dot)).get(path.substring(dot + 1));
      JsonNode result = YAML.createObjectNode();
      if (absent(node)) {
        if (Arrays.stream(StudyKey.values())
            .anyMatch(k -> k.path().startsWith(path + ".") && k.byDefault().required())) {
          problems.add(path + ": required section is missing");
        }
      } else if (!node.isObject()) {
        problems.add(path + ": expected a mapping (got " + node + ")");
      } else {
        allowKeys(node, path + ".", children(path));
        result = node;
      }
      sections.put(path, result);
      return result;
    }

    /** The keys a section of the file may hold: the next segment of every catalogued path under it. */
    private static List<String> children(final String section) {
      final String prefix = section.isEmpty() ? "" : section + ".";
      final TreeSet<String> names = new TreeSet<>();
      for (final StudyKey key : StudyKey.values()) {
        if (key.path().startsWith(prefix)) {
          names.add(key.path().substring(prefix.length()).split("\\.")[0]);
        }
      }
      return List.copyOf(names);
    }

    List<ParamSpec> params(final JsonNode params) {
      final List<ParamSpec> result = new ArrayList<>();
      if (params == null || !params.isObject() || params.isEmpty()) {
        problems.add(StudyKey.PARAMS.path() + ": required, a mapping of parameter name to {choices: [...]} or "
            + "{type: float|int, low: ..., high: ..., log: true|false, points: N}");
        return result;
      }
      params.fields().forEachRemaining(field -> {
        final String path = StudyKey.PARAMS.path() + "." + field.getKey() + ".";
        final JsonNode node = field.getValue();
        if (!node.isObject()) {
          problems.add(path.substring(0, path.length() - 1) + ": expected a mapping such as {choices: [a, b]} or "
              + "{type: float, low: 0.0, high: 1.0}");
          return;
        }
        allowKeys(node, path, children(StudyKey.PARAMS.path() + "." + StudyKey.PARAM));
        final ParamSpec.Builder param = ParamSpec.newBuilder().setName(field.getKey());
        if (node.has("when")) {
          param.setActiveWhen(condition(node.get("when"), path + "when"));
        }
        final String type = node.has("type") ? node.get("type").asText().toLowerCase(Locale.ROOT) : null;
        if (node.has("choices")) {
          param.setType(ParamType.CATEGORICAL).setChoices(choices(node.get("choices"), path + "choices"));
          if (type != null && !type.equals("categorical")) {
            problems.add(path + "type: a parameter with choices is categorical (got '" + node.get("type").asText()
                + "'); remove type or the choices");
          }
          result.add(param.build());
          return;
        }
        param.setType(type == null || type.equals("float") ? ParamType.FLOAT : ParamType.INT);
        if (type != null && !type.equals("float") && !type.equals("int")) {
          problems.add(path + "type: unknown type '" + type + "' (allowed: float, int; or give choices)");
          param.setType(ParamType.FLOAT);
        }
        param.setLow(absent(node.get("low")) ? null : number(node.get("low"), path + "low"));
        param.setHigh(absent(node.get("high")) ? null : number(node.get("high"), path + "high"));
        param.setLog(!absent(node.get("log")) && Boolean.TRUE.equals(bool(node.get("log"), path + "log")));
        final Long points = absent(node.get("points")) ? null : integer(node.get("points"), path + "points");
        param.setGridPoints(points == null ? null : points.intValue());
        result.add(param.build());
      });
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
      return ParamCondition.newBuilder().setParent(parent.getKey())
          .setValues(choices(values, path + "." + parent.getKey())).build();
    }

    /** {@code points_to_evaluate}: a list of mappings of parameter name to value. */
    List<Map<String, Object>> points(final JsonNode node) {
      final String key = StudyKey.POINTS_TO_EVALUATE.path();
      final List<Map<String, Object>> points = new ArrayList<>();
      if (absent(node)) {
        return points;
      }
      if (!node.isArray()) {
        problems.add(key + ": expected a list of mappings of parameter name to value, for example "
            + "[{lr: 0.01, layers: 2}] (got " + node + ")");
        return points;
      }
      for (int i = 0; i < node.size(); i++) {
        final String path = key + "[" + i + "]";
        final JsonNode point = node.get(i);
        if (!point.isObject() || point.isEmpty()) {
          problems.add(path + ": expected a mapping of parameter name to value, for example {lr: 0.01} (got "
              + point + ")");
          continue;
        }
        final Map<String, Object> values = new LinkedHashMap<>();
        point.fields().forEachRemaining(entry -> choices(YAML.createArrayNode().add(entry.getValue()),
            path + "." + entry.getKey()).stream().findFirst().ifPresent(value -> values.put(entry.getKey(), value)));
        points.add(values);
      }
      return points;
    }

    /** {@code objectives}: a list of {metric, mode}; empty if absent. */
    List<ObjectiveSpec> objectives(final JsonNode node) {
      final List<ObjectiveSpec> objectives = new ArrayList<>();
      if (absent(node)) {
        return objectives;
      }
      if (!node.isArray()) {
        problems.add("objectives: expected a list such as [{metric: val_loss, mode: min}, {metric: latency, "
            + "mode: min}] (got " + node + ")");
        return objectives;
      }
      for (int i = 0; i < node.size(); i++) {
        final String path = StudyKey.OBJECTIVES.path() + "[" + i + "]";
        final JsonNode item = node.get(i);
        if (!item.isObject()) {
          problems.add(path + ": expected {metric: ..., mode: min|max} (got " + item + ")");
          continue;
        }
        allowKeys(item, path + ".", List.of("metric", "mode"));
        final String metric = absent(item.get("metric")) ? null : text(item.get("metric"), path + ".metric");
        final String mode = absent(item.get("mode")) ? "" : item.get("mode").asText().trim().toUpperCase(Locale.ROOT);
        if (metric == null || metric.isBlank()) {
          problems.add(path + ".metric: required");
        }
        if (!mode.equals("MIN") && !mode.equals("MAX")) {
          problems.add(path + ".mode: " + (mode.isEmpty() ? "required" : "unknown value '" + item.get("mode").asText()
              + "'") + " (allowed: " + StudyKey.MODE.allowed() + ")");
        }
        objectives.add(ObjectiveSpec.newBuilder().setMetric(metric == null ? "" : metric)
            .setMode(mode.equals("MAX") ? Mode.MAX : Mode.MIN).build());
      }
      return objectives;
    }
  }
}
