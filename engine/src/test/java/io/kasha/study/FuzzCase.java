package io.kasha.study;

import io.kasha.schemas.StudySpec;
import io.kasha.spec.Limits;
import java.util.List;
import java.util.Map;

/**
 * One fuzzed study: its id, its spec, the engine's batch of decisions per call and the seed of the
 * runners that play it, all decoded from one list of {@link Genes}. The engine's limits are small
 * ({@link #LIMITS}), so that a spec over them costs nothing to build and one under them plays to its
 * end in milliseconds.
 */
record FuzzCase(String studyId, StudySpec spec, int batch, long runnerSeed) {

  /** The limits of the fuzzed engine but its batch, which each case draws. */
  static final Limits LIMITS = new Limits(16, 40, 6, 8, 4096, 24, 40, 1000);

  static FuzzCase of(final List<Integer> genes) {
    final Genes g = new Genes(genes);
    final String studyId = switch (g.below(40)) {
      case 1 -> "s".repeat(LIMITS.idLength() + g.between(1, 30));
      case 2 -> g.of("fuzz/study", "fuzz study", "f\u00fczz", "fuzz\nstudy");
      default -> "fuzz-" + g.below(10_000);
    };
    final int batch = g.percent(30) ? 1000 : g.between(1, 12);
    final long runnerSeed = g.below(Integer.MAX_VALUE);
    return new FuzzCase(studyId, FuzzedSpecs.decode(g), batch, runnerSeed);
  }

  Limits limits() {
    return LIMITS.with(Map.of("batch", String.valueOf(batch)));
  }
}
