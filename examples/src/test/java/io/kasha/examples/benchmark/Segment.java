package io.kasha.examples.benchmark;

import io.kasha.objective.TrialContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A trial segment run by a test: it keeps every report and cancels when the test says so. */
final class Segment implements TrialContext {

  record Report(long resource, Map<String, Double> metrics) {

    double loss() {
      return metrics.get(BenchmarkObjective.METRIC);
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

  Segment(
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

  static Segment fresh(final Map<String, Object> params, final long resourceTo, final Path checkpointOut) {
    return new Segment("study-1-t1", params, 0, resourceTo, null, checkpointOut, () -> false);
  }

  static Segment resumed(
      final Map<String, Object> params, final long from, final long to, final Path checkpointIn, final Path out) {
    return new Segment("study-1-t1", params, from, to, checkpointIn, out, () -> false);
  }

  List<Report> reports() {
    return reports;
  }

  List<Long> resources() {
    return reports.stream().map(Report::resource).toList();
  }

  List<Double> losses() {
    return reports.stream().map(Report::loss).toList();
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
