package io.kasha.topology;

import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.TrialJob;
import java.util.HashMap;
import java.util.Map;

/**
 * The jobs one task issued that no runner has reported on yet: the scheduler's own view of its queue,
 * beside the cluster's ({@code kasha_jobs_waiting}). A trial has at most one job at a time, so the jobs
 * are kept by trial: a re-issued job replaces the one before, the first report that the engine takes
 * for a job removes it, and a study's end removes the study's. Held on the heap for the task's life
 * (at most the parallelism of its studies), so jobs issued before this task was assigned here are not
 * counted. Not thread-safe: one per processor.
 */
final class UnstartedJobs {

  private record Issued(String studyId, String jobId) {}

  private final Map<String, Issued> byTrial = new HashMap<>();
  private final SchedulerMetrics metrics;

  UnstartedJobs(final SchedulerMetrics metrics) {
    this.metrics = metrics;
  }

  void issued(final TrialJob job) {
    if (byTrial.put(job.getTrialId(), new Issued(job.getStudyId(), job.getJobId())) == null) {
      metrics.jobsUnstarted(1);
    }
  }

  /** A report the engine took (not ignored) on {@code jobId} of {@code trialId}. */
  void reported(final String trialId, final String jobId) {
    final Issued issued = byTrial.get(trialId);
    if (issued != null && issued.jobId().equals(jobId)) {
      byTrial.remove(trialId);
      metrics.jobsUnstarted(-1);
    }
  }

  /** The study has ended: its queued jobs will never be run. */
  void studyEnded(final String studyId) {
    final int before = byTrial.size();
    byTrial.values().removeIf(issued -> issued.studyId().equals(studyId));
    metrics.jobsUnstarted(byTrial.size() - before);
  }

  /** The task is closed (moved, or the scheduler stops): its jobs are no longer this instance's. */
  void clear() {
    metrics.jobsUnstarted(-byTrial.size());
    byTrial.clear();
  }

  int size() {
    return byTrial.size();
  }
}
