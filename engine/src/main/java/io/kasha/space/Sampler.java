package io.kasha.space;

import io.kasha.schemas.StudySpec;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Draws configurations from a study's search space. Samplers are stateless and deterministic: the
 * same spec, seed and index always give the same configuration, so a restarted scheduler continues
 * the same sequence. Expects a spec that {@link StudyValidator} accepts.
 */
public interface Sampler {

  /**
   * The index-th configuration (0-based), keyed by parameter name in the spec's order. FLOAT values
   * are {@code Double}, INT values {@code Long}, CATEGORICAL values the choice itself.
   */
  Map<String, Object> sample(long index);

  /** Number of distinct configurations if finite (grid), else empty. */
  OptionalLong size();

  /**
   * The sampler the spec names: {@link RandomSampler} for RANDOM, {@link GridSampler} for GRID,
   * {@link SobolSampler} for SOBOL; for the model-based TPE and EVOLUTION, the {@link RandomSampler}
   * they start from.
   */
  static Sampler forSpec(final StudySpec spec) {
    return switch (spec.getSampler()) {
      case RANDOM, TPE, EVOLUTION -> new RandomSampler(spec.getParams(), spec.getSeed());
      case GRID -> new GridSampler(spec.getParams());
      case SOBOL -> new SobolSampler(spec.getParams(), spec.getSeed());
    };
  }
}
