package io.kasha.entrypoint;

import java.util.Map;

/** Metrics after training up to {@code resource} (a 1-based amount of work done). */
public record Progress(long resource, Map<String, Double> metrics) {

  public Progress {
    if (resource < 0) {
      throw new IllegalArgumentException("resource must not be negative, got " + resource);
    }
    metrics = Map.copyOf(metrics);
  }
}
