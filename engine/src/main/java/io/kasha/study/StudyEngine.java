package io.kasha.study;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.spec.Limits;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a study decides, without Kafka: takes study commands, trial reports and the passing of
 * time, keeps the studies' state in {@link StudyStores}, and puts out trial jobs and the audit log of
 * study events through an {@link Output}. The scheduler runs one engine per Streams task over RocksDB
 * stores; the simulator and the tests run it over stores on the heap, so they decide exactly as the
 * scheduler does.
 *
 * <p>Invariants: one study's records are handled one at a time, by one engine; a report counts only
 * if it carries the job id the trial is currently running, so duplicate, late and superseded reports
 * change nothing; {@link #onTime} re-issues jobs whose lease ran out and ends studies whose time
 * budget is spent. The caller commits each call's state changes and output together. Not thread-safe.
 *
 * <p>The work is split by what it is about: {@link Commands} (create, extend, stop), {@link Segments}
 * (a segment's result or failure), {@link Slots} (promotions and new trials into free slots, rung
 * closing), {@link Jobs} (issue and leases), {@link Ending} (best result, the end of a study) and
 * {@link AuditLog} (records out).
 */
public final class StudyEngine {

  /** Where the engine's records go. */
  public interface Output {
    /** A trial job, for the trial-jobs topic (keyed by trial id). */
    void job(TrialJob job);

    /** A study event, for the audit log (keyed by study id). */
    void event(StudyEvent event);

    /** A report that changed nothing: unknown, late, duplicate or superseded. */
    default void ignored() {}

    /** A report for a study this engine has never been given (also counted by {@link #ignored}). */
    default void unknownStudy(final TrialReport report) {}
  }

  /** The most checkpoint names one checkpoints-released event carries. */
  public static final int RELEASED_PER_EVENT = 500;

  private static final Logger LOG = LoggerFactory.getLogger(StudyEngine.class);

  private final StudyStores stores;
  private final LongSupplier clock;
  private final Work work;
  private final Deadlines deadlines;
  private final Runtimes runtimes;
  private final AuditLog log;
  private final Jobs jobs;
  private final Ending ending;
  private final Slots slots;
  private final Segments segments;
  private final Commands commands;

  /**
   * @param stores the studies' state
   * @param clock the wall-clock time in ms (leases and time budgets are measured on it)
   * @param output where jobs and events go
   */
  public StudyEngine(final StudyStores stores, final LongSupplier clock, final Output output) {
    this(stores, clock, output, Limits.DEFAULTS);
  }

  /**
   * @param stores the studies' state
   * @param clock the wall-clock time in ms (leases and time budgets are measured on it)
   * @param output where jobs and events go
   * @param limits what one study may ask, and the most decisions one call makes
   */
  public StudyEngine(final StudyStores stores, final LongSupplier clock, final Output output, final Limits limits) {
    this.stores = stores;
    this.clock = clock;
    this.work = new Work(limits.batch());
    this.deadlines = new Deadlines(stores.deadlines());
    this.runtimes = new Runtimes(stores);
    this.log = new AuditLog(output);
    final Continuations continuations = new Continuations(deadlines, clock);
    final Sweep sweep = new Sweep(stores.trials(), log, work, continuations);
    this.jobs = new Jobs(stores.trials(), deadlines, log, clock);
    this.ending = new Ending(stores.trials(), deadlines, runtimes, log, sweep);
    this.slots = new Slots(stores.trials(), jobs, ending, log, work, continuations, sweep);
    this.segments = new Segments(stores.trials(), jobs, slots, ending, log, work);
    this.commands = new Commands(stores, deadlines, runtimes, slots, ending, log, clock, limits);
  }

  /** A study command; {@code key} is the record's key, the study id if the command carries none. */
  public void onCommand(final String key, final StudyCommand command) {
    work.reset();
    final String studyId = studyIdOf(key, command);
    if (studyId == null) {
      LOG.warn("Ignored a study command without a study id");
      return;
    }
    switch (command.getAction()) {
      case STOP -> commands.stop(studyId, command);
      case EXTEND -> commands.extend(studyId, command);
      default -> commands.create(studyId, command);
    }
  }

  /**
   * The study a command is about: its own study id, or the record's {@code key} if it carries none;
   * null if neither names one.
   */
  public static String studyIdOf(final String key, final StudyCommand command) {
    final String id = command.getStudyId().isBlank() ? key : command.getStudyId();
    return id == null || id.isBlank() ? null : id;
  }

  /**
   * True if {@link #onTime} has something to do now: a lease or time budget that is due, or work put
   * off by an earlier call's batch.
   */
  public boolean timeWorkDue() {
    return deadlines.anyDue(clock.getAsLong());
  }

  /** A runner's report on a job. */
  public void onReport(final TrialReport report) {
    work.reset();
    final StudyState study = stores.studies().get(report.getStudyId());
    final TrialState trial = stores.trials().get(report.getTrialId());
    if (study == null) {
      log.unknownStudy(report);
    }
    if (study == null || trial == null || !trial.studyId.equals(study.studyId)) {
      LOG.debug("Ignored a report for unknown study {} or trial {}", report.getStudyId(), report.getTrialId());
      log.ignored();
      return;
    }
    if (!study.running() || trial.status != TrialState.Status.RUNNING || !report.getJobId().equals(trial.jobId)) {
      LOG.debug("Ignored a late or duplicate {} report of job {}", report.getKind(), report.getJobId());
      log.ignored();
      return;
    }
    final StudyRuntime runtime = runtimes.get(study.studyId);
    switch (report.getKind()) {
      case STARTED, PROGRESS -> {
        // only the trial's lease changes: the study is not rewritten
        jobs.renew(trial, runtime);
        return;
      }
      case SEGMENT_COMPLETED -> segments.completed(study, runtime, trial, report);
      case SEGMENT_FAILED -> segments.failed(study, runtime, trial, report);
      default -> LOG.debug("Ignored report kind {}", report.getKind());
    }
    stores.studies().put(study.studyId, study);
  }

  /**
   * The time is now {@link #clock}'s: expires the leases and time budgets that are due and goes on
   * with put-off work, as far as one call's batch of decisions goes; what is left is due at the next
   * call.
   */
  public void onTime() {
    work.reset();
    final long now = clock.getAsLong();
    List<Deadlines.Due> due;
    while (work.left() > 0 && !(due = deadlines.takeDue(now, work.left())).isEmpty()) {
      for (final Deadlines.Due entry : due) {
        if (work.left() == 0) {
          // the entries before it took the batch (a failed trial's slots filled): it waits for the next call
          deadlines.put(entry.deadlineMs(), entry.kind(), entry.id());
          continue;
        }
        switch (entry.kind()) {
          case Deadlines.JOB_LEASE -> expireLease(entry.id(), entry.deadlineMs(), now);
          case Deadlines.CONTINUE -> resume(entry.id());
          default -> expireBudget(entry.id());
        }
        // a due entry is a decision too, so that a million of them are spread over calls
        work.take();
      }
    }
  }

  private void resume(final String studyId) {
    final StudyState study = stores.studies().get(studyId);
    if (study == null) {
      return;
    }
    study.continuing = false;
    slots.resume(study, study.running() ? runtimes.get(studyId) : null);
    stores.studies().put(studyId, study);
  }

  private void expireLease(final String trialId, final long entryMs, final long now) {
    final TrialState trial = stores.trials().get(trialId);
    if (trial == null || !jobs.leaseDue(trial, entryMs, now)) {
      return;
    }
    final StudyState study = stores.studies().get(trial.studyId);
    if (study == null || !study.running()) {
      return;
    }
    final StudyRuntime runtime = runtimes.get(study.studyId);
    final String why = "no report from job " + trial.jobId + " for " + runtime.spec().getLeaseMs() + " ms";
    if (trial.attempt < runtime.spec().getMaxAttempts()) {
      study.jobEnded(runtime.closableRung(trial.trialId, trial.rung));
      log.emit(study, AuditLog.trialEvent(study, EventType.JOB_REISSUED, trial, runtime, trial.rung)
          .setReason(why + "; re-issued as attempt " + (trial.attempt + 1)));
      jobs.issue(study, runtime, trial, trial.rung, trial.attempt + 1);
    } else {
      jobs.fail(study, runtime, trial, why + " on attempt " + trial.attempt + " of "
          + runtime.spec().getMaxAttempts());
      slots.fill(study, runtime);
    }
    stores.studies().put(study.studyId, study);
  }

  private void expireBudget(final String studyId) {
    final StudyState study = stores.studies().get(studyId);
    if (study != null && study.running()) {
      final StudyRuntime runtime = runtimes.get(studyId);
      ending.finish(study, runtime, StudyState.Status.TIME_BUDGET,
          "time budget of " + Duration.ofMillis(runtime.spec().getMaxDurationMs()) + " spent");
      stores.studies().put(studyId, study);
    }
  }
}
