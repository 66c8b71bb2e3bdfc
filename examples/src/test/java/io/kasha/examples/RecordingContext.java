package io.kasha.examples;

import io.kasha.objective.TrialContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A trial segment run by a test: it keeps every report and cancels when the test says so. */
public final class RecordingContext implements TrialContext {

  /** The trial id of the segments {@link #fresh} and {@link #resumed} make. */
  public static final String TRIAL_ID = "study-1-t1";

  public record Report(long resource, Map<String, Double> metrics) {

    public double metric(final String name) {
      return metrics.get(name);
    }
  }

  private final String trialId;
  private final Map<String, Object> params;
  private final long resourceFrom;
  private final long resourceTo;
  private final Path checkpointIn;
  private final Path checkpointOut;
  private final BooleanSupplier cancelled;
  private final List<Report> reports = new ArrayList<>();

  public RecordingContext(
      final String trialId,
      final Map<String, Object> params,
      final long resourceFrom,
      final long resourceTo,
      final Path checkpointIn,
      final Path checkpointOut,
      final BooleanSupplier cancelled) {
    this.trialId = trialId;
    this.params = params;
    this.resourceFrom = resourceFrom;
    this.resourceTo = resourceTo;
    this.checkpointIn = checkpointIn;
    this.checkpointOut = checkpointOut;
    this.cancelled = cancelled;
  }

  public RecordingContext(
      final Map<String, Object> params,
      final long resourceFrom,
      final long resourceTo,
      final Path checkpointIn,
      final Path checkpointOut,
      final BooleanSupplier cancelled) {
    this(TRIAL_ID, params, resourceFrom, resourceTo, checkpointIn, checkpointOut, cancelled);
  }

  public static RecordingContext fresh(
      final Map<String, Object> params, final long resourceTo, final Path checkpointOut) {
    return new RecordingContext(params, 0, resourceTo, null, checkpointOut, () -> false);
  }

  public static RecordingContext resumed(
      final Map<String, Object> params, final long from, final long to, final Path checkpointIn, final Path out) {
    return new RecordingContext(params, from, to, checkpointIn, out, () -> false);
  }

  public List<Report> reports() {
    return reports;
  }

  public Report last() {
    return reports.get(reports.size() - 1);
  }

  public List<Long> resources() {
    return reports.stream().map(Report::resource).toList();
  }

  /** The named metric of every report, in order. */
  public List<Double> metric(final String name) {
    return reports.stream().map(report -> report.metric(name)).toList();
  }

  @Override
  public String trialId() {
    return trialId;
  }

  @Override
  public Map<String, Object> params() {
    return params;
  }

  @Override
  public long resourceFrom() {
    return resourceFrom;
  }

  @Override
  public long resourceTo() {
    return resourceTo;
  }

  @Override
  public Optional<Path> checkpointIn() {
    return Optional.ofNullable(checkpointIn);
  }

  @Override
  public Path checkpointOut() {
    return checkpointOut;
  }

  @Override
  public void report(final long resource, final Map<String, Double> metrics) {
    reports.add(new Report(resource, Map.copyOf(metrics)));
  }

  @Override
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }
}
