package io.kasha.topology;

import io.kasha.method.Outcome;
import io.kasha.method.PbtDecision;
import io.kasha.method.SchedulingRule;
import io.kasha.method.SlotFiller;
import io.kasha.method.SlotPromotion;
import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.space.History;
import io.kasha.space.Observation;
import io.kasha.space.Suggestion;
import io.kasha.spec.StudyValidator;
import io.kasha.topology.StudyState.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every study of its task: takes study commands and trial reports, keeps the studies' state in
 * the task's stores, and emits trial jobs and the audit log of study events.
 *
 * <p>Invariants: one study lives in one task, so its records are handled one at a time; every
 * decision, the state change it makes and the records it emits commit together (exactly-once); a
 * report counts only if it carries the job id the trial is currently running, so duplicate, late and
 * superseded reports change nothing. A wall-clock punctuator re-issues jobs whose lease ran out and
 * ends studies whose time budget is spent.
 */
final class StudyProcessor implements Processor<String, Object, String, Object> {

  private static final Logger log = LoggerFactory.getLogger(StudyProcessor.class);

  /** The most checkpoint names one checkpoints-released event carries. */
  static final int RELEASED_PER_EVENT = 500;

  private static final java.util.regex.Pattern VALID_STUDY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private final Duration punctuateInterval;
  private final Map<String, StudyRuntime> runtimes = new HashMap<>();
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, StudyCommand> specs;
  private KeyValueStore<String, StudyState> studies;
  private KeyValueStore<String, TrialState> trials;
  private KeyValueOrderedStore rungs;
  private KeyValueStore<Bytes, byte[]> deadlines;
  /** The input record being handled, whose timestamp and headers the emitted records keep. */
  private Record<String, Object> trigger;
  /** Reports that changed nothing: unknown, late, duplicate or superseded (metric ignored-reports-total). */
  private Sensor ignoredReports;

  StudyProcessor(final Duration punctuateInterval) {
    this.punctuateInterval = punctuateInterval;
  }

  @Override
  public void init(final ProcessorContext<String, Object> context) {
    this.context = context;
    this.specs = context.getStateStore(SchedulerTopology.SPECS_STORE);
    this.studies = context.getStateStore(SchedulerTopology.STUDIES_STORE);
    this.trials = context.getStateStore(SchedulerTopology.TRIALS_STORE);
    this.rungs = new KeyValueOrderedStore(context.getStateStore(SchedulerTopology.RUNGS_STORE));
    this.deadlines = context.getStateStore(SchedulerTopology.DEADLINES_STORE);
    this.ignoredReports = context.metrics().addRateTotalSensor("kasha", context.taskId().toString(),
        "ignored-reports", Sensor.RecordingLevel.INFO);
    context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::expireDeadlines);
  }

  @Override
  public void close() {
    context.metrics().removeSensor(ignoredReports);
  }

  @Override
  public void process(final Record<String, Object> record) {
    trigger = record;
    try {
      if (record.value() instanceof StudyCommand command) {
        onCommand(record.key(), command);
      } else if (record.value() instanceof TrialReport report) {
        onReport(report);
      }
    } finally {
      trigger = null;
    }
  }

  // ---- study commands -------------------------------------------------------------------------

  private void onCommand(final String key, final StudyCommand command) {
    final String studyId = command.getStudyId().isBlank() && key != null ? key : command.getStudyId();
    if (studyId.isBlank()) {
      log.warn("Ignored a study command without a study id");
      return;
    }
    if (command.getAction() == StudyAction.STOP) {
      final StudyState study = studies.get(studyId);
      if (study != null && study.running()) {
        final String reason = command.getReason() == null ? "stopped on request" : command.getReason();
        finish(study, runtime(studyId), Status.STOPPED, reason);
        studies.put(studyId, study);
      }
      return;
    }
    if (command.getAction() == StudyAction.EXTEND) {
      extend(studyId, command);
      return;
    }
    create(studyId, command);
  }

  /**
   * Raises a running study's trial or time budget (never lowers it), moves its time-budget deadline
   * and fills the slots the new budget frees; a refused extension is an event with its problems.
   */
  private void extend(final String studyId, final StudyCommand command) {
    final StudyState study = studies.get(studyId);
    if (study == null || study.status == Status.REJECTED) {
      log.info("Ignored an extension of unknown study {}", studyId);
      return;
    }
    if (!study.running()) {
      emitEvent(study, event(study, EventType.EXTEND_REJECTED)
          .setProblems(List.of("the study has ended (" + study.status + ")"))
          .setReason("a study that has ended cannot be extended"));
      studies.put(studyId, study);
      return;
    }
    final StudyRuntime runtime = runtime(studyId);
    final Extension extension = Extension.of(runtime.spec(), command);
    if (!extension.accepted()) {
      emitEvent(study, event(study, EventType.EXTEND_REJECTED)
          .setProblems(extension.problems())
          .setReason(extension.problems().size() + (extension.problems().size() == 1 ? " problem" : " problems")
              + " in the extension"));
      studies.put(studyId, study);
      return;
    }
    final Long oldBudget = runtime.spec().getMaxDurationMs();
    final Long newBudget = extension.extended().getMaxDurationMs();
    if (oldBudget != null && !oldBudget.equals(newBudget)) {
      deadlines.delete(Deadlines.key(study.acceptedAtMs + oldBudget, Deadlines.STUDY_BUDGET, studyId));
      deadlines.put(Deadlines.key(study.acceptedAtMs + newBudget, Deadlines.STUDY_BUDGET, studyId), new byte[0]);
    }
    specs.put(studyId, StudyCommand.newBuilder(specs.get(studyId)).setSpec(extension.extended()).build());
    final StudyRuntime extended = runtime.withBudgets(extension.extended());
    if (extended.trialLimit() > runtime.trialLimit()) {
      study.closedRungs = null;
    }
    runtimes.put(studyId, extended);
    final String why = command.getReason() == null ? "" : " (" + command.getReason() + ")";
    emitEvent(study, event(study, EventType.STUDY_EXTENDED)
        .setSpec(extension.extended())
        .setReason(extension.summary() + why));
    fillSlots(study, extended);
    studies.put(studyId, study);
  }

  private void create(final String studyId, final StudyCommand command) {
    final StudyState existing = studies.get(studyId);
    if (existing != null && existing.status != Status.REJECTED) {
      log.info("Ignored a second create of study {}", studyId);
      return;
    }
    final long now = context.currentSystemTimeMs();
    final List<String> problems = new ArrayList<>(command.getSpec() == null
        ? List.of("spec: required when action is CREATE")
        : StudyValidator.validate(command.getSpec()));
    if (!VALID_STUDY_ID.matcher(studyId).matches()) {
      problems.add("studyId: '" + studyId.replaceAll("\\p{Cntrl}", "?") + "' must be 1 to 200 letters, digits, "
          + "'.', '_' or '-'");
    }
    final StudyState study = new StudyState(studyId, problems.isEmpty() ? Status.RUNNING : Status.REJECTED, now);
    if (!problems.isEmpty()) {
      emitEvent(study, event(study, EventType.STUDY_REJECTED)
          .setProblems(problems)
          .setReason(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the study spec"));
      studies.put(studyId, study);
      return;
    }
    final StudySpec spec = command.getSpec();
    specs.put(studyId, command);
    runtimes.remove(studyId);
    final StudyRuntime runtime = runtime(studyId);
    if (runtime.rule().closableRungs() > 0) {
      study.runningAtRung = new int[runtime.rule().closableRungs()];
    }
    emitEvent(study, event(study, EventType.STUDY_ACCEPTED)
        .setSpec(spec)
        .setReason(Acceptance.summary(spec, runtime.trialLimit())));
    if (spec.getMaxDurationMs() != null) {
      deadlines.put(Deadlines.key(now + spec.getMaxDurationMs(), Deadlines.STUDY_BUDGET, studyId), new byte[0]);
    }
    fillSlots(study, runtime);
    studies.put(studyId, study);
  }

  // ---- trial reports --------------------------------------------------------------------------

  private void onReport(final TrialReport report) {
    final StudyState study = studies.get(report.getStudyId());
    final TrialState trial = trials.get(report.getTrialId());
    if (study == null || trial == null || !trial.studyId.equals(study.studyId)) {
      log.debug("Ignored a report for unknown study {} or trial {}", report.getStudyId(), report.getTrialId());
      ignoredReports.record();
      return;
    }
    if (!study.running() || trial.status != TrialState.Status.RUNNING || !report.getJobId().equals(trial.jobId)) {
      log.debug("Ignored a late or duplicate {} report of job {}", report.getKind(), report.getJobId());
      ignoredReports.record();
      return;
    }
    final StudyRuntime runtime = runtime(study.studyId);
    switch (report.getKind()) {
      case STARTED, PROGRESS -> {
        // only the trial's lease changes: the study is not rewritten
        renewLease(trial, runtime);
        return;
      }
      case SEGMENT_COMPLETED -> onSegmentCompleted(study, runtime, trial, report);
      case SEGMENT_FAILED -> onSegmentFailed(study, runtime, trial, report);
      default -> log.debug("Ignored report kind {}", report.getKind());
    }
    studies.put(study.studyId, study);
  }

  private void onSegmentCompleted(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final TrialReport report) {
    for (final String metricName : runtime.rule().metrics()) {
      if (report.getMetrics().get(metricName) == null) {
        failTrial(study, runtime, trial, "the completed segment reported no '" + metricName + "' (reported: "
            + report.getMetrics().keySet() + ")");
        fillSlots(study, runtime);
        return;
      }
    }
    final double metric = report.getMetrics().get(runtime.rule().metrics().get(0));
    releaseJob(study, runtime, trial);
    final int rung = trial.rung;
    trial.checkpointUri = report.getCheckpointUri();
    trial.checkpointsReleased = false;
    final Outcome outcome = runtime.rule().record(trial.trialId, rung, report.getMetrics(), trial.checkpointUri);
    trial.status = switch (outcome.action()) {
      case COMPLETE -> TrialState.Status.COMPLETED;
      case STOP -> TrialState.Status.STOPPED;
      default -> TrialState.Status.PAUSED;
    };
    trials.put(trial.trialId, trial);
    runtime.history().add(new Observation(trialIndex(trial.trialId), trial.params, rung, metric));
    final StudyEvent.Builder result = trialEvent(study, EventType.RUNG_RESULT, trial, runtime, rung)
        .setMetric(metric)
        .setReason(outcome.resultNote());
    if (runtime.rule().metrics().size() > 1) {
      result.setMetrics(objectiveValues(runtime, report));
    }
    emitEvent(study, result);
    switch (outcome.action()) {
      case COMPLETE -> {
        study.trialsCompleted++;
        emitEvent(study, trialEvent(study, EventType.TRIAL_COMPLETED, trial, runtime, rung)
            .setMetric(metric)
            .setReason("reached the top rung (" + runtime.resource(trial.trialId, rung) + " "
                + runtime.spec().getResourceName() + ")"));
      }
      case STOP -> {
        study.trialsStopped++;
        emitEvent(study, trialEvent(study, EventType.TRIAL_STOPPED, trial, runtime, rung)
            .setMetric(metric)
            .setReason(outcome.reason()));
      }
      default -> { }
    }
    updateBest(study, runtime, trial, rung, metric);
    if (outcome.action() == Outcome.Action.STOP && !trial.trialId.equals(study.bestTrialId)
        && !runtime.spec().getKeepCheckpoints()) {
      final Releases releases = new Releases(study, null, trial.trialId + " was stopped and trains no further");
      releases.addForGood(trial);
      releases.flush();
    }
    if (runtime.isTop(trial.trialId, rung) && runtime.reachesTarget(metric)) {
      finish(study, runtime, Status.TARGET_REACHED,
          trial.trialId + " reached the target " + runtime.spec().getTarget() + " with " + metric);
      return;
    }
    if (outcome.action() == Outcome.Action.CONTINUE) {
      emitEvent(study, trialEvent(study, EventType.TRIAL_CONTINUED, trial, runtime, rung)
          .setMetric(metric)
          .setReason("continues to rung " + (rung + 1) + ": " + outcome.reason()));
      issueJob(study, runtime, trial, rung + 1, 1);
    } else if (outcome.action() == Outcome.Action.EXPLOIT) {
      exploit(study, runtime, trial, metric, outcome);
    }
    fillSlots(study, runtime);
  }

  /**
   * Population based training's exploit: the trial takes the donor's explored parameters and its
   * next segment resumes from the donor's checkpoint; the event is the trial's lineage entry.
   */
  private void exploit(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final double metric,
      final Outcome outcome) {
    final PbtDecision.Exploit exploit = outcome.exploit();
    trial.params = new java.util.LinkedHashMap<>(exploit.newParams());
    trial.checkpointUri = outcome.donorCheckpoint();
    trial.generation++;
    trials.put(trial.trialId, trial);
    emitEvent(study, trialEvent(study, EventType.TRIAL_EXPLOITED, trial, runtime, outcome.donorRung())
        .setMetric(metric)
        .setDonorTrialId(exploit.donorId())
        .setReason(outcome.reason() + "; parameters " + exploit.oldParams() + " -> " + exploit.newParams()));
    issueJob(study, runtime, trial, outcome.donorRung() + 1, 1);
  }

  private static Map<String, Double> objectiveValues(final StudyRuntime runtime, final TrialReport report) {
    final Map<String, Double> values = new java.util.LinkedHashMap<>();
    for (final String name : runtime.rule().metrics()) {
      values.put(name, report.getMetrics().get(name));
    }
    return values;
  }

  private void onSegmentFailed(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final TrialReport report) {
    final FailureKind kind = report.getFailureKind() == null ? FailureKind.ERROR : report.getFailureKind();
    final String cause = kind + (report.getMessage() == null ? "" : ": " + report.getMessage());
    if (kind == FailureKind.CANCELLED) {
      return;
    }
    if (kind != FailureKind.UNKNOWN_ENTRYPOINT && trial.attempt < runtime.spec().getMaxAttempts()) {
      releaseJob(study, runtime, trial);
      emitEvent(study, trialEvent(study, EventType.JOB_REISSUED, trial, runtime, trial.rung)
          .setReason("attempt " + trial.attempt + " failed (" + cause + "); retrying"));
      issueJob(study, runtime, trial, trial.rung, trial.attempt + 1);
      return;
    }
    failTrial(study, runtime, trial, "attempt " + trial.attempt + " of " + runtime.spec().getMaxAttempts()
        + " failed (" + cause + ")");
    fillSlots(study, runtime);
  }

  // ---- decisions ------------------------------------------------------------------------------

  /**
   * Fills the study's free job slots one decision at a time: the best promotable trial of the
   * highest rung, else a new trial while the budget and the rule allow. Ends the study when nothing runs and
   * nothing more can be started.
   */
  private void fillSlots(final StudyState study, final StudyRuntime runtime) {
    SlotFiller.fill(runtime.rule(), new SlotFiller.Slots() {
      @Override
      public boolean hasFreeSlot() {
        return study.running() && study.inFlight < runtime.spec().getParallelism();
      }

      @Override
      public boolean trialBudgetLeft() {
        return study.trialsCreated < runtime.trialLimit();
      }

      @Override
      public void promote(final SlotPromotion promotion) {
        StudyProcessor.this.promote(study, runtime, promotion);
      }

      @Override
      public void startNewTrial() {
        createTrial(study, runtime);
      }
    });
    final List<String> passedOver = runtime.rule().takePassedOver();
    if (study.running() && study.inFlight == 0) {
      finish(study, runtime, Status.COMPLETED, "every trial has finished and no result is promotable");
    } else if (study.running()) {
      if (!runtime.spec().getKeepCheckpoints()) {
        releaseLeftBehind(study, passedOver, "their rung's promotions have all started without them, so these "
            + "trials train no further");
      }
      closeRungs(study, runtime);
    }
  }

  /**
   * Closes the rungs that can close, for a rule whose rungs close: a rung closes once nothing can
   * enter it (the trial budget is spent for a bracket's first rung, the rung below is closed for the
   * others), no job runs toward it and the rule can promote nothing more out of it. Its waiting trials
   * then never train again, so their checkpoints are released, unless the study keeps them. A raised
   * trial budget opens the rungs again (see {@link #extend}); a released trial promoted after that
   * restarts from 0. Free while the trial budget lasts; a read per open rung after.
   */
  private void closeRungs(final StudyState study, final StudyRuntime runtime) {
    final SchedulingRule rule = runtime.rule();
    if (study.runningAtRung == null || study.trialsCreated < runtime.trialLimit()) {
      return;
    }
    if (study.closedRungs == null) {
      study.closedRungs = new boolean[rule.closableRungs()];
    }
    // a rung's feeder has a lower number, so one pass in order closes every rung that can close
    for (int rung = 0; rung < study.closedRungs.length; rung++) {
      final int feeder = rule.feederOf(rung);
      if (study.closedRungs[rung] || (feeder >= 0 && !study.closedRungs[feeder])
          || study.runningAtRung[rung] > 0 || rule.promotable(rung)) {
        continue;
      }
      study.closedRungs[rung] = true;
      if (!runtime.spec().getKeepCheckpoints()) {
        releaseLeftBehind(study, rule.waitingIn(rung), rule.rungName(rung) + " is closed: nothing more enters "
            + "it and none of its waiting results can be promoted, so these trials train no further");
      }
    }
  }

  /**
   * Releases the checkpoints of paused trials that will never train again, but the best trial's;
   * each released trial restarts from 0 should it be promoted after all.
   */
  private void releaseLeftBehind(final StudyState study, final List<String> trialIds, final String why) {
    final Releases releases = new Releases(study, null, why);
    for (final String trialId : trialIds) {
      final TrialState trial = trials.get(trialId);
      if (trial != null && !trialId.equals(study.bestTrialId) && trial.status == TrialState.Status.PAUSED
          && !trial.checkpointsReleased) {
        releases.addForGood(trial);
      }
    }
    releases.flush();
  }

  /** Starts the next job of a trial whose promotion the rule has already marked. */
  private void promote(final StudyState study, final StudyRuntime runtime, final SlotPromotion promotion) {
    final TrialState trial = trials.get(promotion.trialId());
    final String restart = trial.checkpointUri == null ? "; no checkpoint, so it restarts from 0" : "";
    emitEvent(study, trialEvent(study, EventType.TRIAL_PROMOTED, trial, runtime, promotion.fromRung())
        .setMetric(promotion.metric())
        .setReason("promoted to rung " + promotion.toRung() + ": " + promotion.reason() + restart));
    issueJob(study, runtime, trial, promotion.toRung(), 1);
  }

  private void createTrial(final StudyState study, final StudyRuntime runtime) {
    final long index = study.trialsCreated++;
    final String trialId = study.studyId + "-t" + (index + 1);
    final Suggestion suggestion = runtime.searcher().suggest(index, history(study.studyId, index, runtime));
    final TrialState trial = new TrialState(trialId, study.studyId, suggestion.params());
    runtime.rule().addTrial(trialId, suggestion.params());
    emitEvent(study, trialEvent(study, EventType.TRIAL_CREATED, trial, runtime, 0)
        .setReason("no rung has a promotable result; configuration " + (index + 1) + " of "
            + runtime.trialLimit() + " (" + suggestion.how() + ")"));
    issueJob(study, runtime, trial, 0, 1);
  }

  /**
   * The results of the study's first {@code trialCount} trials, by trial then rung, for a searcher
   * that learns from them: read from the trials and rung stores once, then kept up to date on the
   * heap ({@link StudyHistory}), so a restarted scheduler sees the same history. Empty, and free, for
   * searchers that ignore it.
   */
  private History history(final String studyId, final long trialCount, final StudyRuntime runtime) {
    if (!runtime.searcher().usesHistory()) {
      return History.EMPTY;
    }
    if (runtime.spec().getScheduler() == SchedulerKind.PBT) {
      // an exploit replaces a trial's parameters, so its history is always read as the stores have it now
      return new History(historyFromStores(studyId, trialCount, runtime));
    }
    return runtime.history().snapshot(() -> historyFromStores(studyId, trialCount, runtime));
  }

  /** The results of the study's first {@code trialCount} trials, by trial then rung, read from the stores. */
  private List<Observation> historyFromStores(final String studyId, final long trialCount, final StudyRuntime runtime) {
    final List<Observation> results = new ArrayList<>();
    for (long index = 0; index < trialCount; index++) {
      final TrialState trial = trials.get(studyId + "-t" + (index + 1));
      if (trial == null) {
        continue;
      }
      for (int rung = 0; rung <= runtime.schedule(trial.trialId).topRung(); rung++) {
        final OptionalDouble metric = runtime.rule().metric(rung, trial.trialId);
        if (metric.isEmpty()) {
          break;
        }
        results.add(new Observation(index, trial.params, rung, metric.getAsDouble()));
      }
    }
    return results;
  }

  private void issueJob(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final int rung, final int attempt) {
    final StudySpec spec = runtime.spec();
    final boolean resumes = rung > 0 && trial.checkpointUri != null;
    trial.rung = rung;
    trial.attempt = attempt;
    trial.jobId = trial.trialId + (trial.generation == 0 ? "" : "-g" + trial.generation) + "-r" + rung + "-a"
        + attempt;
    trial.status = TrialState.Status.RUNNING;
    study.jobStarted(runtime.rule().closableRung(trial.trialId, rung));
    final TrialJob job = TrialJob.newBuilder()
        .setJobId(trial.jobId)
        .setStudyId(study.studyId)
        .setTrialId(trial.trialId)
        .setEntrypoint(spec.getEntrypoint())
        .setParams(trial.params)
        .setMetric(spec.getMetric())
        .setResourceName(spec.getResourceName())
        .setResourceFrom(resumes ? runtime.resource(trial.trialId, rung - 1) : 0)
        .setResourceTo(runtime.resource(trial.trialId, rung))
        .setRung(rung)
        .setCheckpointIn(resumes ? trial.checkpointUri : null)
        .setAttempt(attempt)
        .setLeaseMs(spec.getLeaseMs())
        .setCheckpointName(trial.generation == 0 ? null : trial.trialId + "-g" + trial.generation)
        .build();
    trial.leaseDeadlineMs = context.currentSystemTimeMs() + spec.getLeaseMs();
    trial.leaseEntryMs = trial.leaseDeadlineMs;
    deadlines.put(Deadlines.key(trial.leaseEntryMs, Deadlines.JOB_LEASE, trial.trialId), new byte[0]);
    trials.put(trial.trialId, trial);
    emit(trial.trialId, job, SchedulerTopology.JOBS_SINK);
  }

  /**
   * Pushes the lease back to one lease from now. The deadlines entry stays where it is (most jobs end
   * before it comes due); {@link #expireLease} moves it on when it does.
   */
  private void renewLease(final TrialState trial, final StudyRuntime runtime) {
    trial.leaseDeadlineMs = context.currentSystemTimeMs() + runtime.spec().getLeaseMs();
    trials.put(trial.trialId, trial);
  }

  /** The trial's current job is over: free its slot and drop its lease. */
  private void releaseJob(final StudyState study, final StudyRuntime runtime, final TrialState trial) {
    deadlines.delete(Deadlines.key(trial.leaseEntry(), Deadlines.JOB_LEASE, trial.trialId));
    study.jobEnded(runtime.rule().closableRung(trial.trialId, trial.rung));
    trial.status = TrialState.Status.PAUSED;
  }

  private void failTrial(final StudyState study, final StudyRuntime runtime, final TrialState trial, final String why) {
    releaseJob(study, runtime, trial);
    trial.status = TrialState.Status.FAILED;
    trials.put(trial.trialId, trial);
    study.trialsFailed++;
    runtime.rule().trialFailed(trial.trialId, trial.rung);
    emitEvent(study, trialEvent(study, EventType.TRIAL_FAILED, trial, runtime, trial.rung).setReason(why));
  }

  private void updateBest(
      final StudyState study, final StudyRuntime runtime, final TrialState trial, final int rung, final double metric) {
    final long resource = runtime.resource(trial.trialId, rung);
    final long bestResource = study.bestTrialId == null ? -1 : runtime.resource(study.bestTrialId, study.bestRung);
    final boolean better = resource > bestResource
        || (resource == bestResource && runtime.better(metric, study.bestMetric));
    if (!better) {
      return;
    }
    study.bestRung = rung;
    study.bestMetric = metric;
    study.bestTrialId = trial.trialId;
    emitEvent(study, trialEvent(study, EventType.BEST_IMPROVED, trial, runtime, rung)
        .setMetric(metric)
        .setReason("best result at the highest rung reached (rung " + rung + ")"));
  }

  private void finish(final StudyState study, final StudyRuntime runtime, final Status status, final String reason) {
    study.status = status;
    final Long budget = runtime.spec().getMaxDurationMs();
    if (budget != null) {
      deadlines.delete(Deadlines.key(study.acceptedAtMs + budget, Deadlines.STUDY_BUDGET, study.studyId));
    }
    final StudyEvent.Builder completed = event(study, EventType.STUDY_COMPLETED)
        .setStatus(status.name())
        .setReason(reason + "; " + study.trialsCreated + " trials, " + study.trialsCompleted + " at the top rung, "
            + (study.trialsStopped > 0 ? study.trialsStopped + " stopped, " : "") + study.trialsFailed + " failed");
    final TrialState best = study.bestTrialId == null ? null : trials.get(study.bestTrialId);
    if (best != null) {
      completed.setTrialId(best.trialId)
          .setRung(study.bestRung)
          .setResource(runtime.resource(best.trialId, study.bestRung))
          .setMetric(study.bestMetric)
          .setParams(best.params);
    }
    completed.setParetoFront(runtime.rule().paretoFront().stream().map(this::paretoPoint).toList());
    emitEvent(study, completed);
    if (!runtime.spec().getKeepCheckpoints()) {
      releaseStudyCheckpoints(study, best);
    }
    // nothing decides for an ended study again: drop its rule, searcher and history from the heap
    runtimes.remove(study.studyId);
  }

  /**
   * Releases the checkpoints of every trial of an ended study but the best trial's last one, in
   * events of at most {@link #RELEASED_PER_EVENT} names. Runs once per study, so reading each trial
   * once is fine.
   */
  private void releaseStudyCheckpoints(final StudyState study, final TrialState best) {
    final String keep = best == null ? null : best.checkpointUri;
    final Releases releases = new Releases(study,
        keep, "the study has ended" + (keep == null ? "" : "; the best trial's last checkpoint is kept"));
    for (long index = 1; index <= study.trialsCreated; index++) {
      final TrialState trial = trials.get(study.studyId + "-t" + index);
      if (trial != null && !trial.checkpointsReleased) {
        releases.add(trial);
      }
    }
    releases.flush();
  }

  /**
   * The checkpoints-released events of one decision: names go out in events of at most {@link
   * #RELEASED_PER_EVENT}, each with the checkpoint kept (or null) and why.
   */
  private final class Releases {
    private final StudyState study;
    private final String keep;
    private final String why;
    private final List<String> names = new ArrayList<>();

    Releases(final StudyState study, final String keep, final String why) {
      this.study = study;
      this.keep = keep;
      this.why = why;
    }

    /** Releases a trial of a running study that will not train again: marked released, its checkpoint gone. */
    void addForGood(final TrialState trial) {
      trial.checkpointsReleased = true;
      trial.checkpointUri = null;
      trials.put(trial.trialId, trial);
      add(trial);
    }

    void add(final TrialState trial) {
      names.addAll(checkpointNames(trial));
      if (names.size() >= RELEASED_PER_EVENT) {
        flush();
      }
    }

    void flush() {
      if (names.isEmpty()) {
        return;
      }
      emitEvent(study, event(study, EventType.CHECKPOINTS_RELEASED)
          .setReleasedCheckpoints(List.copyOf(names))
          .setKeptCheckpoint(keep)
          .setReason(why));
      names.clear();
    }
  }

  /** The 0-based index of a trial, whose id is its study's id, "-t" and its 1-based number. */
  private static long trialIndex(final String trialId) {
    return Long.parseLong(trialId.substring(trialId.lastIndexOf("-t") + 2)) - 1;
  }

  /** The names the trial's checkpoints are stored under: its id, then one per exploit generation. */
  private static List<String> checkpointNames(final TrialState trial) {
    final List<String> names = new ArrayList<>(trial.generation + 1);
    names.add(trial.trialId);
    for (int generation = 1; generation <= trial.generation; generation++) {
      names.add(trial.trialId + "-g" + generation);
    }
    return names;
  }

  private ParetoPoint paretoPoint(final SchedulingRule.FrontMember member) {
    final TrialState trial = trials.get(member.trialId());
    return ParetoPoint.newBuilder().setTrialId(member.trialId()).setRung(member.rung())
        .setMetrics(member.metrics()).setParams(trial == null ? Map.of() : trial.params).build();
  }

  // ---- deadlines ------------------------------------------------------------------------------

  private void expireDeadlines(final long now) {
    final List<Bytes> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(Deadlines.start(), Deadlines.upTo(now))) {
      while (it.hasNext()) {
        final KeyValue<Bytes, byte[]> entry = it.next();
        if (Deadlines.deadline(entry.key) <= now) {
          due.add(entry.key);
        }
      }
    }
    for (final Bytes key : due) {
      deadlines.delete(key);
      if (Deadlines.kind(key) == Deadlines.JOB_LEASE) {
        expireLease(Deadlines.id(key), Deadlines.deadline(key), now);
      } else {
        expireBudget(Deadlines.id(key));
      }
    }
  }

  private void expireLease(final String trialId, final long entry, final long now) {
    final TrialState trial = trials.get(trialId);
    if (trial == null || trial.status != TrialState.Status.RUNNING || trial.leaseEntry() != entry) {
      return;
    }
    if (trial.leaseDeadlineMs > now) {
      // renewed since the entry was written: move the entry to the lease's end
      trial.leaseEntryMs = trial.leaseDeadlineMs;
      deadlines.put(Deadlines.key(trial.leaseEntryMs, Deadlines.JOB_LEASE, trial.trialId), new byte[0]);
      trials.put(trial.trialId, trial);
      return;
    }
    final StudyState study = studies.get(trial.studyId);
    if (study == null || !study.running()) {
      return;
    }
    final StudyRuntime runtime = runtime(study.studyId);
    final String why = "no report from job " + trial.jobId + " for " + runtime.spec().getLeaseMs() + " ms";
    if (trial.attempt < runtime.spec().getMaxAttempts()) {
      study.jobEnded(runtime.rule().closableRung(trial.trialId, trial.rung));
      emitEvent(study, trialEvent(study, EventType.JOB_REISSUED, trial, runtime, trial.rung)
          .setReason(why + "; re-issued as attempt " + (trial.attempt + 1)));
      issueJob(study, runtime, trial, trial.rung, trial.attempt + 1);
    } else {
      failTrial(study, runtime, trial, why + " on attempt " + trial.attempt + " of " + runtime.spec().getMaxAttempts());
      fillSlots(study, runtime);
    }
    studies.put(study.studyId, study);
  }

  private void expireBudget(final String studyId) {
    final StudyState study = studies.get(studyId);
    if (study != null && study.running()) {
      final StudyRuntime runtime = runtime(studyId);
      finish(study, runtime, Status.TIME_BUDGET,
          "time budget of " + Duration.ofMillis(runtime.spec().getMaxDurationMs()) + " spent");
      studies.put(studyId, study);
    }
  }

  // ---- records out ----------------------------------------------------------------------------

  private StudyRuntime runtime(final String studyId) {
    return runtimes.computeIfAbsent(studyId,
        id -> StudyRuntime.of(id, specs.get(id).getSpec(), rungs));
  }

  private static StudyEvent.Builder event(final StudyState study, final EventType type) {
    return StudyEvent.newBuilder().setStudyId(study.studyId).setType(type);
  }

  private static StudyEvent.Builder trialEvent(
      final StudyState study, final EventType type, final TrialState trial, final StudyRuntime runtime, final int rung) {
    return event(study, type)
        .setTrialId(trial.trialId)
        .setRung(rung)
        .setResource(runtime.resource(trial.trialId, rung))
        .setParams(trial.params);
  }

  /**
   * Appends the event to the audit log; a study's acceptance and completion also go to the compacted
   * study-status topic, where runners learn which studies have ended.
   */
  private void emitEvent(final StudyState study, final StudyEvent.Builder event) {
    final StudyEvent built = event.setSeq(study.nextSeq()).build();
    emit(study.studyId, built, SchedulerTopology.EVENTS_SINK);
    if (built.getType() == EventType.STUDY_ACCEPTED || built.getType() == EventType.STUDY_COMPLETED) {
      emit(study.studyId, built, SchedulerTopology.STATUS_SINK);
    }
  }

  private void emit(final String key, final Object value, final String sink) {
    final Record<String, Object> out = trigger != null
        ? trigger.withKey(key).withValue(value)
        : new Record<>(key, value, context.currentSystemTimeMs());
    context.forward(out, sink);
  }
}
