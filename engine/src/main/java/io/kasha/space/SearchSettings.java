package io.kasha.space;

import io.kasha.schemas.SearchOptions;

/**
 * The TPE and evolution knobs with their defaults filled in.
 *
 * @param nStartupTrials TPE: random suggestions until a rung has this many results (default 10)
 * @param gamma TPE: fraction of a rung's results that form the good density (default 0.25)
 * @param nEiCandidates TPE: candidates drawn from the good density per parameter (default 24)
 * @param populationSize EVOLUTION: the most recent trials with a result that form the population (default 20)
 * @param tournamentSize EVOLUTION: members drawn, without replacement, for each tournament (default 5)
 * @param mutationProbability EVOLUTION: chance each parameter of a child is mutated; at least one is (default 0.2)
 * @param crossoverProbability EVOLUTION: chance a child crosses two winners instead of copying one (default 0.5)
 */
public record SearchSettings(int nStartupTrials, double gamma, int nEiCandidates, int populationSize,
    int tournamentSize, double mutationProbability, double crossoverProbability) {

  public static final SearchSettings DEFAULTS = new SearchSettings(10, 0.25, 24, 20, 5, 0.2, 0.5);

  /** The options with every unset field at its default; null gives the defaults. */
  public static SearchSettings of(final SearchOptions options) {
    if (options == null) {
      return DEFAULTS;
    }
    return new SearchSettings(
        or(options.getNStartupTrials(), DEFAULTS.nStartupTrials),
        or(options.getGamma(), DEFAULTS.gamma),
        or(options.getNEiCandidates(), DEFAULTS.nEiCandidates),
        or(options.getPopulationSize(), DEFAULTS.populationSize),
        or(options.getTournamentSize(), DEFAULTS.tournamentSize),
        or(options.getMutationProbability(), DEFAULTS.mutationProbability),
        or(options.getCrossoverProbability(), DEFAULTS.crossoverProbability));
  }

  private static <T> T or(final T value, final T fallback) {
    return value == null ? fallback : value;
  }
}
