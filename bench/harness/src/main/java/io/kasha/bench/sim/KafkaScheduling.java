package io.kasha.bench.sim;

import io.kasha.schemas.EventType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.sim.Job;
import io.kasha.sim.Scheduling;
import io.kasha.sim.SimulatedStudy;
import io.kasha.sim.SimulationConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * ASHA in a {@link io.kasha.sim.Simulation} with every decision made by the real Kafka Streams
 * scheduler: the study is submitted to the studies topic, each simulated result becomes a
 * {@code SEGMENT_COMPLETED} report on the reports topic, and each job the scheduler then emits starts
 * on a simulated worker. Virtual time stands still while the scheduler decides: after a report, the
 * driver waits until the scheduler's transaction for it is visible (its {@code rung-result} event,
 * read committed) and starts the jobs issued in it, in the order of the scheduler's own events. So the
 * simulated runners replace the share-group runners, and the broker, the exactly-once scheduler and
 * its RocksDB stores are the real ones.
 *
 * <p>With the same seed this gives the same decisions as the in-memory ASHA of the simulator, which
 * uses the scheduler's policy and slot filling; a trial whose parameters differ from those the
 * simulator samples for that index fails the run, as does any job the simulator would not start.
 */
final class KafkaScheduling implements Scheduling {

  private final SimulatedStudy study;
  private final SimulationCluster cluster;
  private final String studyId;
  /** Jobs the scheduler issued and the simulation has not started yet, in decision order. */
  private final ArrayDeque<TrialJob> issued = new ArrayDeque<>();
  /** The job id each trial runs now, by trial index. */
  private final Map<Long, String> jobIds = new HashMap<>();
  private boolean submitted;
  private boolean completed;

  KafkaScheduling(final SimulatedStudy study, final SimulationCluster cluster, final String studyId) {
    this.study = study;
    this.cluster = cluster;
    this.studyId = studyId;
  }

  /** True once the scheduler's study-completed event has been read. */
  boolean studyCompleted() {
    return completed;
  }

  @Override
  public void fill() {
    if (!submitted) {
      submitted = true;
      cluster.submit(studyId, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.CREATE)
          .setSpec(study.config().method().spec(study.config(), 0)).build());
      react(event -> event.getType() == EventType.STUDY_ACCEPTED || event.getType() == EventType.STUDY_REJECTED,
          "the study's acceptance");
    }
    while (!issued.isEmpty()) {
      final TrialJob job = issued.poll();
      final long trial = trialIndex(job.getTrialId());
      if (job.getRung() == 0 && job.getAttempt() == 1) {
        if (trial != study.trialsCreated()) {
          throw diverged("the scheduler created trial " + job.getTrialId() + " where the simulation samples trial "
              + (study.trialsCreated() + 1));
        }
        study.newTrial();
        if (!sameParams(study.params(trial), job.getParams())) {
          throw diverged("trial " + job.getTrialId() + " has params " + job.getParams()
              + " where the simulation samples " + study.params(trial));
        }
      }
      if (!study.hasFreeWorker()) {
        throw diverged("the scheduler issued " + job.getJobId() + " with every simulated worker busy");
      }
      jobIds.put(trial, job.getJobId());
      study.start(trial, study.rungOf(job.getResourceTo()));
    }
  }

  @Override
  public void completed(final Job job, final double loss) {
    if (completed) {
      throw diverged("a job ended after the scheduler completed the study");
    }
    final String trialId = trialId(job.trial());
    cluster.report(studyId, TrialReport.newBuilder()
        .setStudyId(studyId)
        .setTrialId(trialId)
        .setJobId(Objects.requireNonNull(jobIds.get(job.trial()), "no job id for trial " + trialId))
        .setKind(ReportKind.SEGMENT_COMPLETED)
        .setResource(job.toResource())
        .setMetrics(Map.of(SimulationConfig.METRIC, loss))
        .setCheckpointUri(study.config().checkpoints() ? "sim:" + trialId : null)
        .setRunnerId("simulated")
        .build());
    react(event -> (event.getType() == EventType.RUNG_RESULT || event.getType() == EventType.TRIAL_FAILED)
        && trialId.equals(event.getTrialId()) && Objects.equals(event.getResource(), job.toResource()),
        "the result of " + trialId + " at resource " + job.toResource());
  }

  /**
   * Reads the study's events up to the one {@code done} accepts and then to the end of what is
   * committed, which is the rest of that transaction; queues the jobs its events issued.
   */
  private void react(final Predicate<StudyEvent> done, final String what) {
    final List<StudyEvent> events = cluster.awaitEvents(studyId, done, what);
    int jobs = 0;
    final List<String> order = new ArrayList<>();
    for (final StudyEvent event : events) {
      switch (event.getType()) {
        case STUDY_REJECTED -> throw new IllegalStateException("the scheduler rejected the simulated study: "
            + event.getProblems());
        case TRIAL_CREATED, TRIAL_PROMOTED, JOB_REISSUED -> {
          jobs++;
          order.add(event.getTrialId());
        }
        case TRIAL_FAILED -> throw diverged("the scheduler failed " + event.getTrialId() + ": " + event.getReason());
        case STUDY_COMPLETED -> completed = true;
        default -> { }
      }
    }
    final Map<String, TrialJob> byTrial = new HashMap<>();
    for (final TrialJob job : cluster.awaitJobs(studyId, jobs)) {
      byTrial.put(job.getTrialId(), job);
    }
    for (final String trialId : order) {
      issued.add(Objects.requireNonNull(byTrial.remove(trialId), "no job for " + trialId));
    }
  }

  private String trialId(final long trial) {
    return studyId + "-t" + (trial + 1);
  }

  private long trialIndex(final String trialId) {
    return Long.parseLong(trialId.substring(trialId.lastIndexOf("-t") + 2)) - 1;
  }

  /** The scheduler's params went through Avro, whose strings are Utf8: compare values as text. */
  private static boolean sameParams(final Map<String, Object> sampled, final Map<String, Object> issued) {
    if (sampled.size() != issued.size()) {
      return false;
    }
    for (final Map.Entry<String, Object> entry : sampled.entrySet()) {
      final Object other = issued.get(entry.getKey());
      if (other == null || !String.valueOf(entry.getValue()).equals(String.valueOf(other))) {
        return false;
      }
    }
    return true;
  }

  private IllegalStateException diverged(final String what) {
    return new IllegalStateException("study " + studyId + ": the scheduler and the simulation diverged: " + what);
  }
}
