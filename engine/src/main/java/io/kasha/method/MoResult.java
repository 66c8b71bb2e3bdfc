package io.kasha.method;

import java.util.List;

/** One trial's results in one rung of a multi-objective study, one per objective. */
public record MoResult(String trialId, int rung, List<Double> metrics) {

  public MoResult {
    metrics = List.copyOf(metrics);
  }
}
