package io.kasha.study;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudySpec;
import io.kasha.spec.Limits;
import io.kasha.spec.Problem;
import io.kasha.spec.StudyValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Study commands: create (validated, then accepted or rejected with its problems), extend (budgets
 * only raised) and stop.
 */
final class Commands {

  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);
  private static final Pattern VALID_STUDY_ID = Pattern.compile("[A-Za-z0-9._-]+");

  private final StudyStores stores;
  private final Deadlines deadlines;
  private final Runtimes runtimes;
  private final Slots slots;
  private final Ending ending;
  private final AuditLog log;
  private final LongSupplier clock;
  private final Limits limits;

  Commands(final StudyStores stores, final Deadlines deadlines, final Runtimes runtimes, final Slots slots,
      final Ending ending, final AuditLog log, final LongSupplier clock, final Limits limits) {
    this.limits = limits;
    this.stores = stores;
    this.deadlines = deadlines;
    this.runtimes = runtimes;
    this.slots = slots;
    this.ending = ending;
    this.log = log;
    this.clock = clock;
  }

  void create(final String studyId, final StudyCommand command) {
    final StudyState existing = stores.studies().get(studyId);
    if (existing != null && existing.status != StudyState.Status.REJECTED) {
      LOG.info("Ignored a second create of study {}", studyId);
      return;
    }
    final long now = clock.getAsLong();
    final List<String> problems = new ArrayList<>(problems(command.getSpec()));
    final Problem idTooLong = limits.checkStudyId(studyId);
    if (idTooLong != null) {
      problems.add(idTooLong.toString());
    } else if (!VALID_STUDY_ID.matcher(studyId).matches()) {
      problems.add("studyId: '" + studyId.replaceAll("\\p{Cntrl}", "?") + "' must be letters, digits, '.', '_' "
          + "or '-'");
    }
    final StudyState study = new StudyState(studyId,
        problems.isEmpty() ? StudyState.Status.RUNNING : StudyState.Status.REJECTED, now);
    if (!problems.isEmpty()) {
      log.emit(study, AuditLog.event(study, EventType.STUDY_REJECTED)
          .setProblems(problems)
          .setReason(AuditLog.problems(problems.size()) + " in the study spec"));
      stores.studies().put(studyId, study);
      return;
    }
    final StudySpec spec = command.getSpec();
    stores.specs().put(studyId, command);
    runtimes.forget(studyId);
    final StudyRuntime runtime = runtimes.get(studyId);
    if (runtime.closable() != null && runtime.closable().closableRungs() > 0) {
      study.runningAtRung = new int[runtime.closable().closableRungs()];
    }
    log.emit(study, AuditLog.event(study, EventType.STUDY_ACCEPTED)
        .setSpec(spec)
        .setReason(Acceptance.summary(spec, runtime.trialLimit())));
    if (spec.getMaxDurationMs() != null) {
      deadlines.put(now + spec.getMaxDurationMs(), Deadlines.STUDY_BUDGET, studyId);
    }
    slots.fill(study, runtime);
    stores.studies().put(studyId, study);
  }

  /**
   * The spec's problems: those over the scheduler's limits, checked first and alone (a spec over them
   * is not looked at further, which could cost what the limits bound); else the validator's.
   */
  private List<String> problems(final StudySpec spec) {
    if (spec == null) {
      return List.of("spec: required when action is CREATE");
    }
    final List<Problem> overLimits = limits.check(spec);
    return Problem.messages(overLimits.isEmpty() ? StudyValidator.validate(spec) : overLimits);
  }

  /**
   * Raises a running study's trial or time budget (never lowers it), moves its time-budget deadline
   * and fills the slots the new budget frees; a refused extension is an event with its problems.
   */
  void extend(final String studyId, final StudyCommand command) {
    final StudyState study = stores.studies().get(studyId);
    if (study == null || study.status == StudyState.Status.REJECTED) {
      LOG.info("Ignored an extension of unknown study {}", studyId);
      return;
    }
    if (!study.running()) {
      log.emit(study, AuditLog.event(study, EventType.EXTEND_REJECTED)
          .setProblems(List.of("the study has ended (" + study.status + ")"))
          .setReason("a study that has ended cannot be extended"));
      stores.studies().put(studyId, study);
      return;
    }
    final StudyRuntime runtime = runtimes.get(studyId);
    final Extension extension = Extension.of(runtime.spec(), command, limits);
    if (!extension.accepted()) {
      log.emit(study, AuditLog.event(study, EventType.EXTEND_REJECTED)
          .setProblems(extension.problems())
          .setReason(AuditLog.problems(extension.problems().size()) + " in the extension"));
      stores.studies().put(studyId, study);
      return;
    }
    final Long oldBudget = runtime.spec().getMaxDurationMs();
    final Long newBudget = extension.extended().getMaxDurationMs();
    if (oldBudget != null && !oldBudget.equals(newBudget)) {
      deadlines.delete(study.acceptedAtMs + oldBudget, Deadlines.STUDY_BUDGET, studyId);
      deadlines.put(study.acceptedAtMs + newBudget, Deadlines.STUDY_BUDGET, studyId);
    }
    stores.specs().put(studyId, StudyCommand.newBuilder(runtimes.command(studyId)).setSpec(extension.extended())
        .build());
    final StudyRuntime extended = runtime.withBudgets(extension.extended());
    if (extended.trialLimit() > runtime.trialLimit()) {
      study.closedRungs = null;
    }
    runtimes.put(studyId, extended);
    final String why = command.getReason() == null ? "" : " (" + command.getReason() + ")";
    log.emit(study, AuditLog.event(study, EventType.STUDY_EXTENDED)
        .setSpec(extension.extended())
        .setReason(extension.summary() + why));
    slots.fill(study, extended);
    stores.studies().put(studyId, study);
  }

  void stop(final String studyId, final StudyCommand command) {
    final StudyState study = stores.studies().get(studyId);
    if (study != null && study.running()) {
      final String reason = command.getReason() == null ? "stopped on request" : command.getReason();
      ending.finish(study, runtimes.get(studyId), StudyState.Status.STOPPED, reason);
      stores.studies().put(studyId, study);
    }
  }
}
