package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvolutionSearcherTest {

  private static final List<ParamSpec> LETTERS = List.of(
      Specs.categorical("p0", "a", "b", "c"), Specs.categorical("p1", "a", "b", "c"),
      Specs.categorical("p2", "a", "b", "c"), Specs.categorical("p3", "a", "b", "c"),
      Specs.categorical("p4", "a", "b", "c"), Specs.categorical("p5", "a", "b", "c"));

  private static EvolutionSearcher evolution(final int population, final int tournament, final double mutation,
      final double crossover) {
    return new EvolutionSearcher(new SearchSpace(LETTERS), Mode.MIN, 4,
        new SearchSettings(10, 0.25, 24, population, tournament, mutation, crossover));
  }

  private static Map<String, Object> all(final String letter) {
    final Map<String, Object> values = new java.util.LinkedHashMap<>();
    LETTERS.forEach(p -> values.put(p.getName(), letter));
    return values;
  }

  @Test
  void drawsRandomlyUntilThePopulationIsFull() {
    final EvolutionSearcher searcher = evolution(3, 2, 0.2, 0.5);
    final History two = new History(List.of(new Observation(0, all("a"), 0, 1), new Observation(1, all("b"), 0, 2)));
    assertThat(searcher.suggest(2, two).params()).isEqualTo(new RandomSampler(LETTERS, 4).sample(2));
    assertThat(searcher.suggest(2, two).how()).isEqualTo("evolution startup (random): population has 2 of 3");
  }

  @Test
  void thePopulationIsTheMostRecentTrialsSoTheBestAgesOut() {
    // given trial 0 is by far the best, then three newer ones
    final EvolutionSearcher searcher = evolution(3, 3, 0.2, 0.0);
    final History history = new History(List.of(
        new Observation(0, all("a"), 0, 0.0),
        new Observation(1, all("b"), 0, 5.0), new Observation(1, all("b"), 1, 4.0),
        new Observation(2, all("c"), 0, 3.0),
        new Observation(3, all("b"), 0, 6.0)));
    // when
    final List<Observation> population = searcher.population(history);
    // then each member once, at its highest rung, and trial 0 gone
    assertThat(population).extracting(Observation::index).containsExactly(1L, 2L, 3L);
    assertThat(population.get(0).rung()).isEqualTo(1);
    // and a whole-population tournament is won by the trial that reached the higher rung
    assertThat(searcher.tournament(population, new SplittableRandom(1)).index()).isEqualTo(1L);
    assertThat(searcher.suggest(4, history).how()).isEqualTo("mutation of trial 2 (tournament winners)");
  }

  @Test
  void aTournamentOfOneIsAUniformDrawWithoutPreference() {
    final EvolutionSearcher searcher = evolution(4, 1, 0.2, 0.0);
    final List<Observation> population = List.of(new Observation(0, all("a"), 0, 0), new Observation(1, all("a"), 0, 1),
        new Observation(2, all("a"), 0, 2), new Observation(3, all("a"), 0, 3));
    final SplittableRandom random = new SplittableRandom(2);
    final Set<Long> winners = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      winners.add(searcher.tournament(population, random).index());
    }
    assertThat(winners).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
  }

  @Test
  void withoutCrossoverAChildIsItsParentWithAtLeastOneParameterMutated() {
    final EvolutionSearcher searcher = evolution(2, 2, 0.0, 0.0);
    for (int seed = 0; seed < 50; seed++) {
      final Map<String, Object> child = searcher.child(all("a"), all("a"), new SplittableRandom(seed));
      assertThat(child.values().stream().filter(v -> !"a".equals(v)).count()).isEqualTo(1);
    }
  }

  @Test
  void uniformCrossoverTakesEachParameterFromOneOfTheParents() {
    final EvolutionSearcher searcher = evolution(2, 2, 0.0, 1.0);
    int fromFirst = 0;
    int fromSecond = 0;
    for (int seed = 0; seed < 50; seed++) {
      final List<Object> values = new ArrayList<>(searcher.child(all("a"), all("b"), new SplittableRandom(seed)).values());
      // one parameter is mutated, so it may hold c or the other parent's letter; the rest are inherited
      assertThat(values.stream().filter("c"::equals).count()).isLessThanOrEqualTo(1);
      fromFirst += (int) values.stream().filter("a"::equals).count();
      fromSecond += (int) values.stream().filter("b"::equals).count();
    }
    assertThat(fromFirst).isBetween(100, 200);
    assertThat(fromSecond).isBetween(100, 200);
  }

  @Test
  void numericMutationStaysInRangeAndMovesTheValue() {
    final ParamSpec lr = Specs.floatParam("lr", 1e-4, 1e-1, true, null);
    assertThat((Double) EvolutionSearcher.mutated(lr, 1e-2, 0.1, 0)).isBetween(1e-2, 1e-1);
    assertThat((Double) EvolutionSearcher.mutated(lr, 1e-1, 5.0, 0)).isCloseTo(1e-1, org.assertj.core.api.Assertions.within(1e-15));
    final ParamSpec n = Specs.intParam("n", 1, 10, false, null);
    assertThat(EvolutionSearcher.mutated(n, 5L, 0.2, 0)).isEqualTo(7L);
  }

  @Test
  void improvesOnAOneMaxProblem() {
    // given: minimise the number of parameters that are not 'a'
    final EvolutionSearcher searcher = evolution(10, 4, 0.2, 0.5);
    final List<Observation> results = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      final Map<String, Object> c = searcher.suggest(i, new History(results)).params();
      results.add(new Observation(i, c, 0, c.values().stream().filter(v -> !"a".equals(v)).count()));
    }
    // then the late children are far better than the random start (about 4 of 6 wrong)
    final double start = results.subList(0, 10).stream().mapToDouble(Observation::metric).average().orElseThrow();
    final double lastTwenty = results.subList(60, 80).stream().mapToDouble(Observation::metric).average().orElseThrow();
    assertThat(lastTwenty).isLessThan(3.0).isLessThan(start - 1.0);
  }
}
