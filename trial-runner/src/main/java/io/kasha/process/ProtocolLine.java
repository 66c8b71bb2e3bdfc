package io.kasha.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kasha.entrypoint.Progress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report line of the process protocol: {@code kasha: {"resource": 3, "metrics": {"val_loss":
 * 0.41}}} on stdout. {@code resource} is a non-negative integer; {@code metrics} maps names to
 * numbers, where {@code NaN} and {@code Infinity} (as Python's {@code json.dumps} writes them) are
 * accepted. Any other line is ordinary output.
 */
public final class ProtocolLine {

  public static final String PREFIX = "kasha:";

  private static final Set<String> FIELDS = Set.of("resource", "metrics");
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ProtocolLine() {}

  /**
   * The progress a line reports, or empty for a line that is not a report.
   *
   * @throws MalformedProtocolLineException for a line that starts with {@value #PREFIX} but does
   *     not hold a valid report
   */
  public static Optional<Progress> parse(final String line) {
    if (!line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    final String body = line.substring(PREFIX.length()).strip();
    final JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedProtocolLineException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedProtocolLineException("expected a JSON object after '" + PREFIX + "'");
    }
    for (final Map.Entry<String, JsonNode> field : node.properties()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new MalformedProtocolLineException("unknown field '" + field.getKey() + "'");
      }
    }
    return Optional.of(new Progress(resource(node.get("resource")), metrics(node.get("metrics"))));
  }

  private static long resource(final JsonNode node) {
    if (node == null) {
      throw new MalformedProtocolLineException("missing 'resource'");
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw new MalformedProtocolLineException("'resource' must be an integer, got " + node);
    }
    final long resource = node.asLong();
    if (resource < 0) {
      throw new MalformedProtocolLineException("'resource' must not be negative, got " + resource);
    }
    return resource;
  }

  private static Map<String, Double> metrics(final JsonNode node) {
    if (node == null) {
      throw new MalformedProtocolLineException("missing 'metrics'");
    }
    if (!node.isObject()) {
      throw new MalformedProtocolLineException("'metrics' must be an object, got " + node);
    }
    final Map<String, Double> metrics = new LinkedHashMap<>();
    for (final Map.Entry<String, JsonNode> metric : node.properties()) {
      if (!metric.getValue().isNumber()) {
        throw new MalformedProtocolLineException(
            "metric '" + metric.getKey() + "' must be a number, got " + metric.getValue());
      }
      metrics.put(metric.getKey(), metric.getValue().doubleValue());
    }
    return metrics;
  }
}
