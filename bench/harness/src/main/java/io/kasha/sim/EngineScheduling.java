package io.kasha.sim;

import io.kasha.schemas.EventType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.study.StudyEngine;
import io.kasha.study.StudyStores;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A simulated study decided by the scheduler's own {@link StudyEngine}, over stores on the heap: the
 * simulation's results go in as trial reports, the jobs the engine puts out start on the simulated
 * workers, and the engine's clock is the simulation's virtual time. So the simulator decides exactly
 * as the scheduler does, rung closing, leases and all, by construction.
 *
 * <p>A study may run as several engine studies one after another ({@code studies} gives the spec of
 * each, until it gives null): synchronous SHA without a trial limit runs one bracket per study until
 * the time limit. Each study's trials are new trials of the simulation, with the engine's own sample.
 */
final class EngineScheduling implements Scheduling, StudyEngine.Output {

  private final SimulatedStudy study;
  private final Function<Integer, StudySpec> studies;
  private final StudyEngine engine;
  private final Deque<TrialJob> pending = new ArrayDeque<>();
  /** The simulation's trial index of each engine trial id. */
  private final Map<String, Long> trials = new HashMap<>();
  /** The engine's job each simulated trial is running. */
  private final Map<Long, TrialJob> running = new HashMap<>();
  private int round;
  private boolean roundOver;

  /** @param studies the spec of the {@code n}-th engine study (from 0), or null when there is no other */
  EngineScheduling(final SimulatedStudy study, final Function<Integer, StudySpec> studies) {
    this.study = study;
    this.studies = studies;
    this.engine = new StudyEngine(StudyStores.inMemory(), () -> (long) Math.floor(study.now() * 1000), this,
        SimulationConfig.LIMITS);
    submit(studies.apply(0));
  }

  /** The id of the {@code n}-th engine study. */
  static String studyId(final int n) {
    return n == 0 ? "simulation" : "simulation-" + (n + 1);
  }

  private void submit(final StudySpec spec) {
    roundOver = false;
    engine.onCommand(studyId(round), StudyCommand.newBuilder().setStudyId(studyId(round))
        .setAction(StudyAction.CREATE).setSpec(spec).build());
  }

  @Override
  public void fill() {
    while (true) {
      while (!pending.isEmpty() && study.hasFreeWorker()) {
        start(pending.poll());
      }
      if (!roundOver || !running.isEmpty() || !pending.isEmpty()) {
        return;
      }
      final StudySpec next = studies.apply(round + 1);
      if (next == null) {
        return;
      }
      round++;
      submit(next);
    }
  }

  private void start(final TrialJob job) {
    final long trial = trials.computeIfAbsent(job.getTrialId(), id -> study.newTrial(job.getParams()));
    running.put(trial, job);
    study.start(trial, study.rungOf(job.getResourceTo()));
  }

  @Override
  public void completed(final Job job, final double loss) {
    final TrialJob done = running.remove(job.trial());
    engine.onTime();
    engine.onReport(TrialReport.newBuilder()
        .setStudyId(done.getStudyId())
        .setTrialId(done.getTrialId())
        .setJobId(done.getJobId())
        .setKind(ReportKind.SEGMENT_COMPLETED)
        .setResource(done.getResourceTo())
        .setMetrics(Map.of(SimulationConfig.METRIC, loss))
        .setCheckpointUri(study.config().checkpoints()
            ? "sim:" + (done.getCheckpointName() == null ? done.getTrialId() : done.getCheckpointName()) : null)
        .build());
  }

  @Override
  public void job(final TrialJob job) {
    pending.add(job);
  }

  @Override
  public void event(final StudyEvent event) {
    if (event.getType() == EventType.STUDY_REJECTED) {
      throw new IllegalArgumentException("the engine rejected the simulated study: " + event.getProblems());
    }
    if (event.getType() == EventType.STUDY_COMPLETED) {
      roundOver = true;
    }
  }
}
