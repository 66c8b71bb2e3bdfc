package io.kasha.space;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Regularized (aging) evolution (Real et al., "Regularized Evolution for Image Classifier
 * Architecture Search", 2019) with uniform crossover.
 *
 * <p>The population is the {@code populationSize} most recently created trials that have a result,
 * so every member ages out after that many newer ones, however good it was. Until it is full,
 * suggestions are the seeded random sampler's. Then a child is made from tournament winners: a
 * tournament draws {@code tournamentSize} members without replacement and the fittest wins, fitness
 * being the highest rung reached then the metric there (a promoted trial beat its rung). With
 * probability {@code crossoverProbability} the child takes each parameter from one of two winners
 * chosen by a fair coin (uniform crossover), else it copies one winner. Then each parameter is
 * mutated with probability {@code mutationProbability}, and at least one active parameter always is:
 * a number moves by a Gaussian step of 0.2 in the unit view of {@link SearchSpace}, a categorical
 * parameter takes another choice. Parameters a parent lacks (inactive there) are drawn at random.
 * Deterministic: the draws come from a generator seeded by (seed, index).
 */
final class EvolutionSearcher implements Searcher {

  private static final double MUTATION_STEP = 0.2;

  private final SearchSpace space;
  private final Comparator<Observation> fittestFirst;
  private final long seed;
  private final SearchSettings settings;
  private final RandomSampler startup;

  EvolutionSearcher(final SearchSpace space, final Mode mode, final long seed, final SearchSettings settings) {
    this.space = space;
    this.fittestFirst = Comparator.comparingInt(Observation::rung).reversed().thenComparing(Ranking.bestFirst(mode));
    this.seed = seed;
    this.settings = settings;
    this.startup = new RandomSampler(space.params(), seed);
  }

  @Override
  public Suggestion suggest(final long index, final History history) {
    final List<Observation> population = population(history);
    if (population.size() < settings.populationSize()) {
      return new Suggestion(space.activeOnly(startup.sample(index)), "evolution startup (random): population has "
          + population.size() + " of " + settings.populationSize());
    }
    final SplittableRandom random = new SplittableRandom(RandomSampler.mix(seed + RandomSampler.mix(index ^ 0xe70L)));
    final Observation first = tournament(population, random);
    final boolean crossover = random.nextDouble() < settings.crossoverProbability();
    final Observation second = crossover ? tournament(population, random) : first;
    final Map<String, Object> child = child(first.params(), second.params(), random);
    return new Suggestion(child, (crossover ? "crossover of trials " + (first.index() + 1) + " and "
        + (second.index() + 1) : "mutation of trial " + (first.index() + 1)) + " (tournament winners)");
  }

  @Override
  public boolean usesHistory() {
    return true;
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.empty();
  }

  /** Each of the most recent {@code populationSize} trials with a result, at its highest rung. */
  List<Observation> population(final History history) {
    final Map<Long, Observation> latest = new LinkedHashMap<>();
    for (final Observation result : history.results()) {
      latest.merge(result.index(), result, (a, b) -> b.rung() >= a.rung() ? b : a);
    }
    final List<Observation> byAge = new ArrayList<>(latest.values());
    byAge.sort(Comparator.comparingLong(Observation::index));
    return byAge.subList(Math.max(0, byAge.size() - settings.populationSize()), byAge.size());
  }

  /** The fittest of {@code tournamentSize} members drawn without replacement (a partial shuffle). */
  Observation tournament(final List<Observation> population, final SplittableRandom random) {
    final List<Observation> pool = new ArrayList<>(population);
    final int size = Math.min(settings.tournamentSize(), pool.size());
    for (int i = 0; i < size; i++) {
      Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
    }
    return pool.subList(0, size).stream().min(fittestFirst).orElseThrow();
  }

  /**
   * A child of two parents (the same twice for mutation only). Every random choice is drawn up front,
   * one set per parameter, so forcing one more mutation replays the others unchanged.
   */
  Map<String, Object> child(final Map<String, Object> first, final Map<String, Object> second,
      final SplittableRandom random) {
    final List<ParamSpec> params = space.params();
    final boolean[] fromSecond = new boolean[params.size()];
    final boolean[] mutate = new boolean[params.size()];
    final double[] steps = new double[params.size()];
    final double[] shifts = new double[params.size()];
    final Object[] fresh = new Object[params.size()];
    for (int i = 0; i < params.size(); i++) {
      fromSecond[i] = random.nextBoolean();
      mutate[i] = random.nextDouble() < settings.mutationProbability();
      steps[i] = random.nextGaussian() * MUTATION_STEP;
      shifts[i] = random.nextDouble();
      fresh[i] = RandomSampler.draw(params.get(i), random);
    }
    Map<String, Object> child = build(first, second, fromSecond, mutate, steps, shifts, fresh);
    if (!mutatedAny(child, mutate)) {
      final List<Integer> active = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        if (child.containsKey(params.get(i).getName())) {
          active.add(i);
        }
      }
      mutate[active.get(random.nextInt(active.size()))] = true;
      child = build(first, second, fromSecond, mutate, steps, shifts, fresh);
    }
    return child;
  }

  private Map<String, Object> build(final Map<String, Object> first, final Map<String, Object> second,
      final boolean[] fromSecond, final boolean[] mutate, final double[] steps, final double[] shifts,
      final Object[] fresh) {
    final Map<String, Object> child = new LinkedHashMap<>();
    final List<ParamSpec> params = space.params();
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec param = params.get(i);
      if (!SearchSpace.isActive(param, child)) {
        continue;
      }
      final Map<String, Object> parent = fromSecond[i] ? second : first;
      final Map<String, Object> other = fromSecond[i] ? first : second;
      final String name = param.getName();
      final Object inherited = parent.containsKey(name) ? parent.get(name) : other.get(name);
      final Object value = inherited == null ? fresh[i] : Values.canonical(param, inherited).orElse(fresh[i]);
      child.put(name, mutate[i] ? mutated(param, value, steps[i], shifts[i]) : value);
    }
    return Collections.unmodifiableMap(child);
  }

  private boolean mutatedAny(final Map<String, Object> child, final boolean[] mutate) {
    for (int i = 0; i < mutate.length; i++) {
      if (mutate[i] && child.containsKey(space.params().get(i).getName())) {
        return true;
      }
    }
    return false;
  }

  /** A number moved by step in the unit view; a categorical value replaced by another choice. */
  static Object mutated(final ParamSpec param, final Object value, final double step, final double shift) {
    if (param.getType() == ParamType.CATEGORICAL) {
      final int k = param.getChoices().size();
      if (k == 1) {
        return value;
      }
      final int current = SearchSpace.choiceIndex(param, value);
      return param.getChoices().get((current + 1 + (int) (shift * (k - 1))) % k);
    }
    return SearchSpace.fromUnit(param, SearchSpace.toUnit(param, value) + step);
  }
}
