package io.kasha.method;

import java.util.List;
import java.util.Map;

/**
 * A tuning method over the study's one metric: takes its value out of a segment's reported metrics, so
 * that each method records a number.
 */
abstract class SingleMetricMethod implements TuningMethod {

  private final String metric;

  SingleMetricMethod(final String metric) {
    this.metric = metric;
  }

  @Override
  public final List<String> metrics() {
    return List.of(metric);
  }

  @Override
  public final Outcome record(final String trialId, final int rung, final Map<String, Double> metrics,
      final String checkpointUri) {
    return record(trialId, rung, metrics.get(metric), checkpointUri);
  }

  /** Records the trial's value of the study's metric at the rung, with the checkpoint it wrote (or null). */
  abstract Outcome record(String trialId, int rung, double value, String checkpointUri);
}
