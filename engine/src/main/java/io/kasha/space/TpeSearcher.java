package io.kasha.space;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen estimator (Bergstra et al., "Algorithms for Hyper-Parameter Optimization",
 * 2011), univariate as in Optuna's default and Hyperopt.
 *
 * <p>Until some rung holds {@code nStartupTrials} results, suggestions are the seeded random
 * sampler's. Then the highest such rung R is modelled, because with ASHA its results were measured
 * on the largest resource that has enough of them. Every trial with a result is ranked: first those
 * with a result in R, by that result, then those that stopped below R, by the rung they reached and
 * their result there (as Optuna ranks pruned trials). The best {@code ceil(gamma * n)} of the n form
 * l(x) and the rest g(x). Ranking only R's results would put nothing but promoted, good trials in
 * g(x), so the model would not know that the region left behind in lower rungs is bad. Each active parameter, in the spec's order, is
 * drawn from {@code nEiCandidates} candidates sampled from l as the one with the largest l(x) / g(x),
 * which maximises expected improvement. Numbers are modelled in the unit view of {@link SearchSpace}
 * (so log ranges are modelled in log space) by {@link ParzenEstimator}s; a categorical parameter by
 * weights of 1/k for each choice plus 1 per observation. A conditional parameter is modelled only on
 * the trials where it was active, and is drawn only when its parent's drawn value activates it.
 *
 * <p>Sound with asynchronous, partial information: the model uses whatever results exist, a trial
 * still running simply is not in it yet. Deterministic: the draws come from a generator seeded by
 * (seed, index), and the history is ordered.
 */
final class TpeSearcher implements Searcher {

  private final SearchSpace space;
  private final Mode mode;
  private final long seed;
  private final SearchSettings settings;
  private final RandomSampler startup;

  TpeSearcher(final SearchSpace space, final Mode mode, final long seed, final SearchSettings settings) {
    this.space = space;
    this.mode = mode;
    this.seed = seed;
    this.settings = settings;
    this.startup = new RandomSampler(space.params(), seed);
  }

  @Override
  public Suggestion suggest(final long index, final History history) {
    final int rung = history.highestRungWith(settings.nStartupTrials());
    if (rung < 0) {
      return new Suggestion(space.activeOnly(startup.sample(index)),
          "tpe startup (random): no rung has " + settings.nStartupTrials() + " results yet");
    }
    final List<Observation> ranked = ranked(history, rung);
    final int good = Math.max(1, Math.min(ranked.size() - 1, (int) Math.ceil(settings.gamma() * ranked.size())));
    final List<Observation> below = ranked.subList(0, good);
    final List<Observation> above = ranked.subList(good, ranked.size());
    final SplittableRandom random = new SplittableRandom(RandomSampler.mix(seed + RandomSampler.mix(index ^ 0x7e57L)));
    final Map<String, Object> values = new LinkedHashMap<>();
    for (final ParamSpec param : space.params()) {
      if (SearchSpace.isActive(param, values)) {
        values.put(param.getName(), draw(param, below, above, random));
      }
    }
    return new Suggestion(Collections.unmodifiableMap(values),
        "tpe on rung " + rung + " (" + history.rung(rung).size() + " results there, " + ranked.size()
            + " trials ranked, best " + good + " as l(x))");
  }

  /**
   * Every trial with a result, best first: those with a result in {@code rung} by that result, then
   * those that stopped below it, higher rung first, each by its result there.
   */
  private List<Observation> ranked(final History history, final int rung) {
    final Map<Long, Observation> latest = new LinkedHashMap<>();
    for (final Observation result : history.results()) {
      if (result.rung() <= rung) {
        latest.merge(result.index(), result, (a, b) -> b.rung() > a.rung() ? b : a);
      }
    }
    return latest.values().stream()
        .sorted(java.util.Comparator.comparingInt(Observation::rung).reversed().thenComparing(Ranking.bestFirst(mode)))
        .toList();
  }

  @Override
  public boolean usesHistory() {
    return true;
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.empty();
  }

  private Object draw(final ParamSpec param, final List<Observation> below, final List<Observation> above,
      final SplittableRandom random) {
    final double[] good = units(param, below);
    final double[] bad = units(param, above);
    if (param.getType() == ParamType.CATEGORICAL) {
      final int k = param.getChoices().size();
      final double[] l = categoryWeights(k, good);
      final double[] g = categoryWeights(k, bad);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < settings.nEiCandidates(); c++) {
        final int candidate = pick(l, random);
        final double score = Math.log(l[candidate]) - Math.log(g[candidate]);
        if (score > bestScore) {
          best = candidate;
          bestScore = score;
        }
      }
      return param.getChoices().get(best);
    }
    final ParzenEstimator l = new ParzenEstimator(good);
    final ParzenEstimator g = new ParzenEstimator(bad);
    double best = 0.5;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < settings.nEiCandidates(); c++) {
      final double candidate = l.sample(random);
      final double score = l.logDensity(candidate) - g.logDensity(candidate);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return SearchSpace.fromUnit(param, best);
  }

  /** The unit coordinates of param in the results where it was active. */
  private static double[] units(final ParamSpec param, final List<Observation> results) {
    return results.stream()
        .filter(o -> o.params().containsKey(param.getName()))
        .mapToDouble(o -> SearchSpace.toUnit(param, o.params().get(param.getName())))
        .toArray();
  }

  /** Normalised weights: 1/k prior per choice plus 1 per observation (given as a cell centre). */
  private static double[] categoryWeights(final int k, final double[] units) {
    final double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    for (final double u : units) {
      weights[(int) Math.min(k - 1, Math.floor(u * k))] += 1;
    }
    final double total = 1 + units.length;
    for (int i = 0; i < k; i++) {
      weights[i] /= total;
    }
    return weights;
  }

  private static int pick(final double[] weights, final SplittableRandom random) {
    double u = random.nextDouble();
    for (int i = 0; i < weights.length - 1; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
