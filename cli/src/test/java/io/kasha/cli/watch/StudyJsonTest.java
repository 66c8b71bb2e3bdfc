package io.kasha.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyJsonTest {

  private static final List<String> STUDY_ORDER = List.of("lr", "layers");

  private final StudyEvents log = new StudyEvents();

  @Test
  void typeNameIsTheEventTypeInKebabCase() {
    assertThat(StudyJson.typeName(EventType.STUDY_ACCEPTED)).isEqualTo("study-accepted");
    assertThat(StudyJson.typeName(EventType.RUNG_RESULT)).isEqualTo("rung-result");
    assertThat(StudyJson.typeName(EventType.BEST_IMPROVED)).isEqualTo("best-improved");
  }

  @Test
  void eventLeavesOutAbsentFields() {
    final ObjectNode json = StudyJson.event(log.next(EventType.TRIAL_CREATED).setTrialId("t1").build(), STUDY_ORDER);

    assertThat(json.properties()).extracting(e -> e.getKey()).containsExactly("seq", "type", "studyId", "trialId");
    assertThat(json.get("seq").asLong()).isEqualTo(1);
    assertThat(json.get("type").asText()).isEqualTo("trial-created");
    assertThat(json.get("studyId").asText()).isEqualTo("s1");
    assertThat(json.get("trialId").asText()).isEqualTo("t1");
  }

  @Test
  void eventWritesEveryPresentField() {
    final ObjectNode json = StudyJson.event(log.result("t1", 1, 3, 0.25), STUDY_ORDER);

    assertThat(json.get("rung").asInt()).isEqualTo(1);
    assertThat(json.get("resource").asLong()).isEqualTo(3);
    assertThat(json.get("metric").isDouble()).isTrue();
    assertThat(json.get("metric").asDouble()).isEqualTo(0.25);
    assertThat(json.get("params").get("layers").asLong()).isEqualTo(2);
    assertThat(json.has("status")).isFalse();
    assertThat(json.has("problems")).isFalse();
  }

  @Test
  void nanMetricIsWrittenAsTheStringNaN() {
    final ObjectNode json = StudyJson.event(log.result("t1", 0, 1, Double.NaN), STUDY_ORDER);

    assertThat(json.get("metric").isTextual()).isTrue();
    assertThat(json.get("metric").asText()).isEqualTo("NaN");
  }

  @Test
  void eventParamsFollowTheStudyOrder() {
    final ObjectNode json = StudyJson.event(log.result("t1", 0, 1, 0.5), STUDY_ORDER);

    assertThat(json.get("params").properties()).extracting(e -> e.getKey()).containsExactly("lr", "layers");
  }

  @Test
  void rejectionListsItsProblems() {
    final ObjectNode json = StudyJson.event(log.rejected("eta: must be at least 2 (got 1)"), STUDY_ORDER);

    assertThat(json.get("problems")).extracting(JsonNode::asText).containsExactly("eta: must be at least 2 (got 1)");
  }

  @Test
  void completionCarriesStatusAndReason() {
    final ObjectNode json = StudyJson.event(log.completed("TARGET_REACHED", "t3 reached 0.01"), STUDY_ORDER);

    assertThat(json.get("status").asText()).isEqualTo("TARGET_REACHED");
    assertThat(json.get("reason").asText()).isEqualTo("t3 reached 0.01");
  }

  @Test
  void summaryHasExactlyTheDocumentedKeys() {
    final StudyProjection study = finishedStudy();

    final ObjectNode json = StudyJson.summary(study, 12.34);

    assertThat(json.properties()).extracting(e -> e.getKey())
        .containsExactly("studyId", "status", "trials", "rungs", "best", "elapsedSeconds");
    assertThat(json.get("studyId").asText()).isEqualTo("s1");
    assertThat(json.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(json.get("trials").asLong()).isEqualTo(2);
    assertThat(json.get("elapsedSeconds").asDouble()).isEqualTo(12.3);
  }

  @Test
  void summaryRungsCountResultsAndPromotions() {
    final ObjectNode json = StudyJson.summary(finishedStudy(), 1.0);

    final JsonNode rungs = json.get("rungs");
    assertThat(rungs).hasSize(4);
    assertThat(rungs).allSatisfy(rung -> assertThat(rung.properties()).extracting(e -> e.getKey())
        .containsExactly("rung", "resource", "results", "promoted"));
    assertThat(rungs.get(0).toString()).isEqualTo("{\"rung\":0,\"resource\":1,\"results\":2,\"promoted\":1}");
    assertThat(rungs.get(1).toString()).isEqualTo("{\"rung\":1,\"resource\":3,\"results\":1,\"promoted\":0}");
    assertThat(rungs.get(3).toString()).isEqualTo("{\"rung\":3,\"resource\":27,\"results\":0,\"promoted\":0}");
  }

  @Test
  void summaryBestNamesTrialParamsMetricAndResource() {
    final JsonNode best = StudyJson.summary(finishedStudy(), 1.0).get("best");

    assertThat(best.properties()).extracting(e -> e.getKey()).containsExactly("trialId", "params", "metric", "resource");
    assertThat(best.get("trialId").asText()).isEqualTo("t2");
    assertThat(best.get("params").properties()).extracting(e -> e.getKey()).containsExactly("lr", "layers");
    assertThat(best.get("metric").asDouble()).isEqualTo(0.2);
    assertThat(best.get("resource").asLong()).isEqualTo(3);
  }

  @Test
  void summaryBestIsNullBeforeAnyResult() {
    final StudyProjection study = new StudyProjection("s1");
    study.apply(log.accepted(Mode.MIN));

    final ObjectNode json = StudyJson.summary(study, 0.0);

    assertThat(json.has("best")).isTrue();
    assertThat(json.get("best").isNull()).isTrue();
    assertThat(json.get("status").asText()).isEqualTo("RUNNING");
  }

  private StudyProjection finishedStudy() {
    final StudyProjection study = new StudyProjection("s1");
    List.of(log.accepted(Mode.MIN),
        log.created("t1"), log.created("t2"),
        log.result("t1", 0, 1, 0.5), log.bestImproved("t1", 0, 1, 0.5),
        log.result("t2", 0, 1, 0.3), log.bestImproved("t2", 0, 1, 0.3),
        log.promoted("t2", 0, 1),
        log.result("t2", 1, 3, 0.2), log.bestImproved("t2", 1, 3, 0.2),
        log.completed("COMPLETED", "every trial has finished and no result is promotable"))
        .forEach(study::apply);
    return study;
  }
}
