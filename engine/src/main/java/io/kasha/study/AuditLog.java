package io.kasha.study;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;

/**
 * What the engine's decisions put out: trial jobs, and the study events of the audit log, each with
 * the next sequence number of its study.
 */
final class AuditLog {

  private final StudyEngine.Output out;

  AuditLog(final StudyEngine.Output out) {
    this.out = out;
  }

  static StudyEvent.Builder event(final StudyState study, final EventType type) {
    return StudyEvent.newBuilder().setStudyId(study.studyId).setType(type);
  }

  static StudyEvent.Builder trialEvent(
      final StudyState study, final EventType type, final TrialState trial, final StudyRuntime runtime, final int rung) {
    return event(study, type)
        .setTrialId(trial.trialId)
        .setRung(rung)
        .setResource(runtime.resource(trial.trialId, rung))
        .setParams(trial.params);
  }

  /** Appends the event to the study's audit log. */
  void emit(final StudyState study, final StudyEvent.Builder event) {
    out.event(event.setSeq(study.nextSeq()).build());
  }

  void job(final TrialJob job) {
    out.job(job);
  }

  /** A report that changed nothing: unknown, late, duplicate or superseded. */
  void ignored() {
    out.ignored();
  }

  void unknownStudy(final TrialReport report) {
    out.unknownStudy(report);
  }

  /** "1 problem" or "3 problems". */
  static String problems(final int count) {
    return count + (count == 1 ? " problem" : " problems");
  }
}
