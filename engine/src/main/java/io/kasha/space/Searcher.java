package io.kasha.space;

import io.kasha.schemas.StudySpec;
import java.util.OptionalLong;

/**
 * Chooses the configuration of each new trial, possibly learning from the results so far. A
 * searcher is deterministic: the same spec, index and history always give the same suggestion, so
 * a restarted scheduler makes the same choice from the same state. Expects a spec that
 * {@link StudyValidator} accepts.
 *
 * <p>Every searcher leaves inactive conditional parameters out of its suggestions, and
 * {@link #forSpec} puts the spec's {@code pointsToEvaluate} before whatever the sampler draws.
 */
public interface Searcher {

  /** The configuration of trial {@code index} (0-based) given the results in {@code history}. */
  Suggestion suggest(long index, History history);

  /** False if {@link #suggest} ignores its history, so the caller need not build one. */
  boolean usesHistory();

  /** Number of distinct configurations if finite (warm-start points plus a grid), else empty. */
  OptionalLong size();

  /** The most trials a study creates with this searcher: {@code maxTrials}, or fewer if the space is a smaller grid. */
  default long trialLimit(final long maxTrials) {
    return Math.min(maxTrials, size().orElse(Long.MAX_VALUE));
  }

  /** The most trials the spec's study creates (see {@link #trialLimit(long)}). */
  static long trialLimit(final StudySpec spec) {
    return forSpec(spec).trialLimit(spec.getMaxTrials());
  }

  /** The searcher the spec's sampler names, after the spec's warm-start points. */
  static Searcher forSpec(final StudySpec spec) {
    final SearchSpace space = new SearchSpace(spec.getParams());
    final SearchSettings settings = SearchSettings.of(spec.getSearchOptions());
    final Searcher searcher = switch (spec.getSampler()) {
      case RANDOM, GRID, SOBOL -> new SamplerSearcher(space, Sampler.forSpec(spec),
          spec.getSampler().name().toLowerCase(java.util.Locale.ROOT));
      case TPE -> new TpeSearcher(space, spec.getMode(), spec.getSeed(), settings);
      case EVOLUTION -> new EvolutionSearcher(space, spec.getMode(), spec.getSeed(), settings);
    };
    return spec.getPointsToEvaluate().isEmpty() ? searcher : new WarmStart(space, spec.getPointsToEvaluate(), searcher);
  }
}
