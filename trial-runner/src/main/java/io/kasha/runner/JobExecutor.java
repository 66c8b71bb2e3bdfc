package io.kasha.runner;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.Entrypoint;
import io.kasha.entrypoint.Segment;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job, from its entrypoint's lookup to its checkpoint's storage, and says how it ended as
 * the report to publish last; counts it, its time and its checkpoints' bytes in the runner's meters.
 * Knows nothing of Kafka: the slot that calls it owns the record.
 */
final class JobExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);

  private final EntrypointRegistry registry;
  private final CheckpointStore checkpoints;
  private final TrialReports reports;
  private final String runnerId;
  private final RunnerMetrics metrics;

  JobExecutor(final EntrypointRegistry registry, final CheckpointStore checkpoints, final String runnerId) {
    this(registry, checkpoints, runnerId, RunnerMetrics.none(new RunnerState(java.util.OptionalLong.empty(),
        Optional.empty()), 1));
  }

  JobExecutor(final EntrypointRegistry registry, final CheckpointStore checkpoints, final String runnerId,
      final RunnerMetrics metrics) {
    this.registry = registry;
    this.checkpoints = checkpoints;
    this.runnerId = runnerId;
    this.reports = new TrialReports(runnerId);
    this.metrics = metrics;
  }

  /**
   * Runs {@code job}, passing its STARTED and PROGRESS reports to {@code publish} as they happen, and
   * returns its final report (SEGMENT_COMPLETED or SEGMENT_FAILED) without publishing it. A job that
   * names no registered entrypoint, or cannot be prepared, fails without being started.
   */
  TrialReport execute(final TrialJob job, final Cancellation cancellation, final Consumer<TrialReport> publish)
      throws InterruptedException {
    final long start = System.nanoTime();
    final TrialReport report = run(job, cancellation, publish);
    metrics.jobRan(report, System.nanoTime() - start);
    return report;
  }

  private TrialReport run(final TrialJob job, final Cancellation cancellation, final Consumer<TrialReport> publish)
      throws InterruptedException {
    final Optional<Entrypoint> entrypoint = registry.find(job.getEntrypoint());
    if (entrypoint.isEmpty()) {
      return reports.failed(job, FailureKind.UNKNOWN_ENTRYPOINT,
          "runner " + runnerId + " has no entrypoint '" + job.getEntrypoint() + "' (it has " + registry.names() + ")");
    }
    final Optional<Path> checkpointIn;
    try {
      checkpointIn = checkpointIn(job);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return reports.failed(job, FailureKind.ERROR, "cannot prepare the checkpoints: " + e.getMessage());
    }
    try {
      return run(job, entrypoint.get(), checkpointIn, cancellation, publish);
    } finally {
      checkpointIn.ifPresent(directory -> done(job, directory));
    }
  }

  private TrialReport run(final TrialJob job, final Entrypoint entrypoint, final Optional<Path> checkpointIn,
      final Cancellation cancellation, final Consumer<TrialReport> publish) throws InterruptedException {
    final Path checkpointOut;
    try {
      checkpointOut = checkpoints.allocate(job.getStudyId(), job.getTrialId());
    } catch (IllegalArgumentException | IOException e) {
      return reports.failed(job, FailureKind.ERROR, "cannot prepare the checkpoints: " + e.getMessage());
    }
    final Segment segment;
    try {
      segment = segment(job, checkpointIn, checkpointOut);
    } catch (IllegalArgumentException e) {
      discard(job, checkpointOut);
      return reports.failed(job, FailureKind.ERROR, "invalid job: " + e.getMessage());
    }
    LOG.debug("job {}: trial {} of study {}, {} {}..{} with {}", job.getJobId(), job.getTrialId(),
        job.getStudyId(), job.getResourceName(), job.getResourceFrom(), job.getResourceTo(), job.getEntrypoint());
    publish.accept(reports.started(job));
    SegmentOutcome outcome;
    try {
      outcome = entrypoint.run(segment, progress -> publish.accept(reports.progress(job, progress)), cancellation);
    } catch (InterruptedException e) {
      discard(job, checkpointOut);
      throw e;
    } catch (RuntimeException e) {
      outcome = SegmentOutcome.failed(FailureKind.ERROR, e.toString());
    }
    if (outcome instanceof SegmentOutcome.Completed completed) {
      return complete(job, completed, checkpointOut);
    }
    final SegmentOutcome.Failed failed = (SegmentOutcome.Failed) outcome;
    discard(job, checkpointOut);
    LOG.info("job {}: failed ({}): {}", job.getJobId(), failed.kind(), firstLine(failed.message()));
    return reports.failed(job, failed.kind(), failed.message());
  }

  private TrialReport complete(final TrialJob job, final SegmentOutcome.Completed completed, final Path checkpointOut) {
    final Optional<URI> checkpoint;
    try {
      final String name = job.getCheckpointName() == null ? job.getTrialId() : job.getCheckpointName();
      final long bytes = size(checkpointOut);
      checkpoint = checkpoints.save(job.getStudyId(), name, job.getResourceTo(), checkpointOut);
      if (checkpoint.isPresent()) {
        metrics.checkpointStored(bytes);
      }
    } catch (IOException | RuntimeException e) {
      discard(job, checkpointOut);
      return reports.failed(job, FailureKind.ERROR, "completed, but cannot store the checkpoint: " + e);
    }
    LOG.debug("job {}: completed at {} {} with {}{}", job.getJobId(), job.getResourceName(), completed.resource(),
        completed.metrics(), checkpoint.map(uri -> ", checkpoint " + uri).orElse(", no checkpoint"));
    return reports.completed(job, completed.resource(), completed.metrics(), checkpoint);
  }

  private Optional<Path> checkpointIn(final TrialJob job) {
    if (job.getCheckpointIn() == null) {
      return Optional.empty();
    }
    final URI uri;
    try {
      uri = new URI(job.getCheckpointIn());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("checkpoint '" + job.getCheckpointIn() + "' is not a URI: " + e.getMessage());
    }
    final Path path = checkpoints.resolve(uri);
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException("checkpoint " + uri + " not found on this runner (is the store shared?)");
    }
    metrics.checkpointResumed(size(path));
    return Optional.of(path);
  }

  /** The bytes of the regular files under {@code directory}, for the meters; 0 if they cannot be read. */
  private static long size(final Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.debug("cannot measure checkpoint {}: {}", directory, e.toString());
      return 0;
    }
  }

  private static Segment segment(final TrialJob job, final Optional<Path> checkpointIn, final Path checkpointOut) {
    final Map<String, Object> params = new LinkedHashMap<>();
    job.getParams().forEach((name, value) ->
        params.put(name.toString(), value instanceof CharSequence text ? text.toString() : value));
    return new Segment(job.getStudyId(), job.getTrialId(), job.getJobId(), params, job.getMetric(),
        job.getResourceName(), job.getResourceFrom(), job.getResourceTo(), checkpointIn, checkpointOut);
  }

  private void done(final TrialJob job, final Path checkpointIn) {
    try {
      checkpoints.done(checkpointIn);
    } catch (IOException | RuntimeException e) {
      LOG.warn("job {}: cannot delete the local copy of its checkpoint {}: {}", job.getJobId(), checkpointIn,
          e.toString());
    }
  }

  private void discard(final TrialJob job, final Path checkpointOut) {
    try {
      checkpoints.discard(checkpointOut);
    } catch (IOException | RuntimeException e) {
      LOG.warn("job {}: cannot delete the unused checkpoint directory {}: {}",
          job.getJobId(), checkpointOut, e.toString());
    }
  }

  private static String firstLine(final String message) {
    final int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline) + " ...";
  }
}
