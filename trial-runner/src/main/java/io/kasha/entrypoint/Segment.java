package io.kasha.entrypoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One job as the entrypoint sees it: a trial's parameters, the resource range to train, and the
 * checkpoint directories.
 *
 * @param params parameter values: {@code Double}, {@code Long}, {@code Boolean}, {@code String} or
 *     {@code null}
 * @param checkpointIn directory holding the checkpoint at {@code resourceFrom}, if any
 * @param checkpointOut empty directory for the checkpoint at {@code resourceTo}
 */
public record Segment(
    String studyId,
    String trialId,
    String jobId,
    Map<String, Object> params,
    String metric,
    String resourceName,
    long resourceFrom,
    long resourceTo,
    Optional<Path> checkpointIn,
    Path checkpointOut) {

  public Segment {
    Objects.requireNonNull(studyId, "studyId");
    Objects.requireNonNull(trialId, "trialId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(checkpointIn, "checkpointIn");
    Objects.requireNonNull(checkpointOut, "checkpointOut");
    if (resourceFrom < 0 || resourceTo <= resourceFrom) {
      throw new IllegalArgumentException(
          "resource range must satisfy 0 <= from < to, got " + resourceFrom + ".." + resourceTo);
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
