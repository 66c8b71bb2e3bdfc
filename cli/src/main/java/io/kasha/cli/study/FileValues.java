package io.kasha.cli.study;

import com.fasterxml.jackson.databind.JsonNode;
import io.kasha.runner.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The typed values of a study file's YAML nodes, each read with the key's path so that a value of the
 * wrong type is a problem naming where it is, what was found and what is allowed; problems are
 * collected, never thrown.
 */
class FileValues {

  final List<String> problems = new ArrayList<>();

  List<Double> numbers(final JsonNode node, final String path) {
    return list(node, path, "numbers, for example [1.2, 0.8]", JsonNode::isNumber, JsonNode::doubleValue);
  }

  List<String> names(final JsonNode node, final String path) {
    return list(node, path, "parameter names, for example [lr, momentum]", JsonNode::isTextual, JsonNode::textValue);
  }

  private <T> List<T> list(final JsonNode node, final String path, final String what,
      final Predicate<JsonNode> fits, final Function<JsonNode, T> value) {
    final List<T> values = new ArrayList<>();
    if (!node.isArray()) {
      problems.add(path + ": expected a list of " + what + " (got " + node + ")");
      return values;
    }
    for (final JsonNode item : node) {
      if (fits.test(item)) {
        values.add(value.apply(item));
      } else {
        problems.add(path + ": values must be " + what.substring(0, what.indexOf(',')) + " (got " + item + ")");
      }
    }
    return values;
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

  void allowKeys(final JsonNode node, final String prefix, final List<String> allowed) {
    node.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) {
        problems.add(prefix + name + ": unknown key (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    });
  }

  static boolean absent(final JsonNode value) {
    return value == null || value.isNull();
  }

  String text(final JsonNode value, final String path) {
    if (value.isContainerNode()) {
      problems.add(path + ": expected text (got " + value + ")");
      return null;
    }
    if (value.asText().isBlank()) {
      return null;
    }
    return value.asText();
  }

  Long integer(final JsonNode value, final String path) {
    if (!value.canConvertToExactIntegral() || !value.isNumber()) {
      problems.add(path + ": expected a whole number (got " + value + ")");
      return null;
    }
    return value.asLong();
  }

  Double number(final JsonNode value, final String path) {
    if (!value.isNumber()) {
      problems.add(path + ": expected a number (got " + value + ")");
      return null;
    }
    return value.asDouble();
  }

  Boolean bool(final JsonNode value, final String path) {
    if (!value.isBoolean()) {
      problems.add(path + ": expected true or false (got " + value + ")");
      return null;
    }
    return value.booleanValue();
  }

  Long duration(final JsonNode value, final String path) {
    try {
      return Durations.parse(value.asText()).toMillis();
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
      return null;
    }
  }
}
