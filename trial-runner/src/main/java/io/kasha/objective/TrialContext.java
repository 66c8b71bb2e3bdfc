package io.kasha.objective;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a running trial segment sees: its parameters, its resource range and its checkpoints. */
public interface TrialContext {

  String trialId();

  /** Parameter values: {@code Double}, {@code Long}, {@code Boolean} or {@code String}. */
  Map<String, Object> params();

  /** Resource already trained (0 for a new trial). */
  long resourceFrom();

  /** Resource to reach in this segment. */
  long resourceTo();

  /** Directory holding the checkpoint written at {@link #resourceFrom()}, if there is one. */
  Optional<Path> checkpointIn();

  /** Empty directory where the segment writes its checkpoint before it returns. */
  Path checkpointOut();

  /** Reports metrics after training up to {@code resource} (1-based amount of work done). */
  void report(long resource, Map<String, Double> metrics);

  /** True once the runner wants the segment to stop (shutdown or study stopped). */
  boolean cancelled();

  default double doubleParam(final String name) {
    return ((Number) params().get(name)).doubleValue();
  }
}
