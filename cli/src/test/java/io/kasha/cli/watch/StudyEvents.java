package io.kasha.cli.watch;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built audit logs for one study, numbered in order: {@code s1}, tuning {@code lr} and {@code layers}
 * over epochs 1, 3, 9, 27 (min 1, max 27, eta 3).
 */
final class StudyEvents {

  static final String STUDY = "s1";

  private long seq;

  static StudySpec spec(final Mode mode) {
    return StudySpec.newBuilder()
        .setName("bowl-study")
        .setEntrypoint("bowl")
        .setMetric("val_loss")
        .setMode(mode)
        .setParams(List.of(
            ParamSpec.newBuilder().setName("lr").setType(ParamType.FLOAT).setLow(0.001).setHigh(0.1).build(),
            ParamSpec.newBuilder().setName("layers").setType(ParamType.INT).setLow(1.0).setHigh(4.0).build()))
        .setMinResource(1)
        .setMaxResource(27)
        .setEta(3)
        .setMaxTrials(27)
        .build();
  }

  StudyEvent accepted(final Mode mode) {
    return next(EventType.STUDY_ACCEPTED).setSpec(spec(mode)).build();
  }

  StudyEvent rejected(final String... problems) {
    return next(EventType.STUDY_REJECTED).setProblems(List.of(problems)).build();
  }

  StudyEvent created(final String trialId) {
    return next(EventType.TRIAL_CREATED).setTrialId(trialId).setRung(0).setResource(1L).setParams(params()).build();
  }

  StudyEvent result(final String trialId, final int rung, final long resource, final double metric) {
    return next(EventType.RUNG_RESULT).setTrialId(trialId).setRung(rung).setResource(resource).setMetric(metric)
        .setParams(params()).build();
  }

  /** Promoted out of {@code fromRung}, as the scheduler reports it. */
  StudyEvent promoted(final String trialId, final int fromRung, final long resource) {
    return next(EventType.TRIAL_PROMOTED).setTrialId(trialId).setRung(fromRung).setResource(resource).build();
  }

  StudyEvent failed(final String trialId, final int rung) {
    return next(EventType.TRIAL_FAILED).setTrialId(trialId).setRung(rung).setReason("exit code 1").build();
  }

  StudyEvent bestImproved(final String trialId, final int rung, final long resource, final double metric) {
    return next(EventType.BEST_IMPROVED).setTrialId(trialId).setRung(rung).setResource(resource).setMetric(metric)
        .setParams(params()).build();
  }

  StudyEvent completed(final String status, final String reason) {
    return next(EventType.STUDY_COMPLETED).setStatus(status).setReason(reason).build();
  }

  StudyEvent.Builder next(final EventType type) {
    return StudyEvent.newBuilder().setStudyId(STUDY).setSeq(++seq).setType(type);
  }

  /** Avro maps keep no order: {@code layers} before {@code lr}, the reverse of the study file. */
  static Map<String, Object> params() {
    final Map<String, Object> params = new LinkedHashMap<>();
    params.put("layers", 2L);
    params.put("lr", 0.01);
    return params;
  }
}
