package io.kasha.examples.mlp;

import io.kasha.objective.TrialContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A trial segment run by a test: it keeps every report and cancels when the test says so. */
final class RecordingContext implements TrialContext {

  record Report(long resource, Map<String, Double> metrics) {

    double valLoss() {
      return metrics.get("val_loss");
    }
  }

  private final Map<String, Object> params;
  private final long resourceFrom;
  private final long resourceTo;
  private final Path checkpointIn;
  private final Path checkpointOut;
  private final BooleanSupplier cancelled;
  private final List<Report> reports = new ArrayList<>();

  RecordingContext(
      final Map<String, Object> params,
      final long resourceFrom,
      final long resourceTo,
      final Path checkpointIn,
      final Path checkpointOut,
      final BooleanSupplier cancelled) {
    this.params = params;
    this.resourceFrom = resourceFrom;
    this.resourceTo = resourceTo;
    this.checkpointIn = checkpointIn;
    this.checkpointOut = checkpointOut;
    this.cancelled = cancelled;
  }

  static RecordingContext fresh(
      final Map<String, Object> params, final long resourceTo, final Path checkpointOut) {
    return new RecordingContext(params, 0, resourceTo, null, checkpointOut, () -> false);
  }

  List<Report> reports() {
    return reports;
  }

  Report last() {
    return reports.get(reports.size() - 1);
  }

  @Override
  public String trialId() {
    return "trial-under-test";
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
