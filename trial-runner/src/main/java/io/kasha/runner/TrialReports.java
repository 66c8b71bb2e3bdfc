package io.kasha.runner;

import io.kasha.entrypoint.Progress;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The reports a runner writes about one job, each carrying the job id and the runner id. */
final class TrialReports {

  static final int MAX_MESSAGE_CHARS = 8 * 1024;

  private final String runnerId;

  TrialReports(final String runnerId) {
    this.runnerId = runnerId;
  }

  TrialReport started(final TrialJob job) {
    return of(job, ReportKind.STARTED).setResource(job.getResourceFrom()).build();
  }

  TrialReport progress(final TrialJob job, final Progress progress) {
    return of(job, ReportKind.PROGRESS)
        .setResource(progress.resource())
        .setMetrics(Map.copyOf(progress.metrics()))
        .build();
  }

  TrialReport completed(
      final TrialJob job, final long resource, final Map<String, Double> metrics, final Optional<URI> checkpoint) {
    return of(job, ReportKind.SEGMENT_COMPLETED)
        .setResource(resource)
        .setMetrics(Map.copyOf(metrics))
        .setCheckpointUri(checkpoint.map(URI::toString).orElse(null))
        .build();
  }

  TrialReport failed(final TrialJob job, final FailureKind kind, final String message) {
    return of(job, ReportKind.SEGMENT_FAILED)
        .setResource(job.getResourceFrom())
        .setFailureKind(kind)
        .setMessage(bounded(message))
        .build();
  }

  private TrialReport.Builder of(final TrialJob job, final ReportKind kind) {
    return TrialReport.newBuilder()
        .setStudyId(job.getStudyId())
        .setTrialId(job.getTrialId())
        .setJobId(job.getJobId())
        .setKind(kind)
        .setRunnerId(runnerId);
  }

  private static String bounded(final String message) {
    return message.length() <= MAX_MESSAGE_CHARS
        ? message
        : message.substring(0, MAX_MESSAGE_CHARS)
            + "... (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
  }
}
