package io.kasha.cli.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kasha.schemas.EventType;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.StudyEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON forms of the audit log ({@code kasha events --json}) and of a study's summary. */
public final class StudyJson {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private StudyJson() {}

  /** {@code STUDY_ACCEPTED} becomes {@code study-accepted}. */
  public static String typeName(final EventType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * One event as a JSON object; absent fields are left out, a NaN metric is written as "NaN", and
   * parameters follow the order of {@code paramOrder} (the study file's).
   */
  public static ObjectNode event(final StudyEvent event, final List<String> paramOrder) {
    final ObjectNode json = MAPPER.createObjectNode();
    json.put("seq", event.getSeq());
    json.put("type", typeName(event.getType()));
    json.put("studyId", event.getStudyId());
    if (event.getTrialId() != null) {
      json.put("trialId", event.getTrialId());
    }
    if (event.getRung() != null) {
      json.put("rung", event.getRung());
    }
    if (event.getResource() != null) {
      json.put("resource", event.getResource());
    }
    if (event.getMetric() != null) {
      putMetric(json, "metric", event.getMetric());
    }
    if (event.getParams() != null) {
      json.set("params", params(event.getParams(), paramOrder));
    }
    if (event.getStatus() != null) {
      json.put("status", event.getStatus());
    }
    if (event.getReason() != null) {
      json.put("reason", event.getReason());
    }
    if (event.getDonorTrialId() != null) {
      json.put("donorTrialId", event.getDonorTrialId());
    }
    if (!event.getMetrics().isEmpty()) {
      json.set("metrics", metrics(event.getMetrics()));
    }
    if (!event.getParetoFront().isEmpty()) {
      json.set("paretoFront", front(event.getParetoFront(), paramOrder));
    }
    if (!event.getProblems().isEmpty()) {
      final ArrayNode problems = json.putArray("problems");
      event.getProblems().forEach(problems::add);
    }
    if (!event.getReleasedCheckpoints().isEmpty()) {
      final ArrayNode released = json.putArray("releasedCheckpoints");
      event.getReleasedCheckpoints().forEach(released::add);
    }
    if (event.getKeptCheckpoint() != null) {
      json.put("keptCheckpoint", event.getKeptCheckpoint());
    }
    return json;
  }

  /**
   * {@code {"studyId", "status", "trials", "rungs": [{"rung", "resource", "results", "promoted"}],
   * "best": {"trialId", "params", "metric", "resource"}, "stopped" (stopping rules), "paretoFront":
   * [{"trialId", "rung", "metrics", "params"}] (multi-objective), "elapsedSeconds"}}.
   */
  public static ObjectNode summary(final StudyProjection study, final double elapsedSeconds) {
    final ObjectNode json = MAPPER.createObjectNode();
    json.put("studyId", study.studyId());
    json.put("status", study.status());
    json.put("trials", study.trialsCreated());
    final ArrayNode rungs = json.putArray("rungs");
    for (final StudyProjection.Rung rung : study.rungs()) {
      rungs.addObject()
          .put("rung", rung.rung)
          .put("resource", rung.resource)
          .put("results", rung.results)
          .put("promoted", rung.promoted);
    }
    final StudyEvent best = study.best();
    if (best == null) {
      json.putNull("best");
    } else {
      final ObjectNode node = json.putObject("best");
      node.put("trialId", best.getTrialId());
      node.set("params", params(best.getParams() == null ? Map.of() : best.getParams(), study.paramOrder()));
      putMetric(node, "metric", best.getMetric());
      node.put("resource", best.getResource());
    }
    if (study.stopped() > 0) {
      json.put("stopped", study.stopped());
    }
    if (!study.paretoFront().isEmpty()) {
      json.set("paretoFront", front(study.paretoFront(), study.paramOrder()));
    }
    if (!study.problems().isEmpty()) {
      final ArrayNode problems = json.putArray("problems");
      study.problems().forEach(problems::add);
    }
    json.put("elapsedSeconds", Math.round(elapsedSeconds * 10) / 10.0);
    return json;
  }

  private static ArrayNode front(final List<ParetoPoint> front, final List<String> paramOrder) {
    final ArrayNode json = MAPPER.createArrayNode();
    for (final ParetoPoint point : front) {
      final ObjectNode node = json.addObject().put("trialId", point.getTrialId()).put("rung", point.getRung());
      node.set("metrics", metrics(point.getMetrics()));
      node.set("params", params(point.getParams(), paramOrder));
    }
    return json;
  }

  private static ObjectNode metrics(final Map<String, Double> metrics) {
    final ObjectNode json = MAPPER.createObjectNode();
    metrics.forEach((name, value) -> putMetric(json, name, value));
    return json;
  }

  private static ObjectNode params(final Map<String, Object> params, final List<String> order) {
    final ObjectNode json = MAPPER.createObjectNode();
    StudyProjection.ordered(params, order).forEach((name, value) -> json.set(name, MAPPER.valueToTree(value)));
    return json;
  }

  private static void putMetric(final ObjectNode json, final String field, final double metric) {
    if (Double.isNaN(metric) || Double.isInfinite(metric)) {
      json.put(field, Double.toString(metric));
    } else {
      json.put(field, metric);
    }
  }
}
