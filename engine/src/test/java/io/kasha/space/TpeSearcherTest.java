package io.kasha.space;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSearcherTest {

  private static final List<ParamSpec> LINE = List.of(Specs.floatParam("x", -5.0, 5.0, false, null));

  private static TpeSearcher tpe(final List<ParamSpec> params, final long seed) {
    return new TpeSearcher(new SearchSpace(params), Mode.MIN, seed, SearchSettings.DEFAULTS);
  }

  @Test
  void drawsRandomlyUntilARungHasNStartupResults() {
    final TpeSearcher searcher = tpe(LINE, 1);
    final RandomSampler random = new RandomSampler(LINE, 1);
    final List<Observation> nine = observe(random, 9, c -> x(c));
    final Suggestion suggestion = searcher.suggest(9, new History(nine));
    assertThat(suggestion.params()).isEqualTo(random.sample(9));
    assertThat(suggestion.how()).startsWith("tpe startup (random)");
  }

  @Test
  void concentratesOnTheGoodRegionOfAQuadratic() {
    // given (x - 2)^2 on [-5, 5], minimised sequentially, against random search with the same budget
    final TpeSearcher searcher = tpe(LINE, 7);
    final List<Observation> results = new ArrayList<>();
    final double[] tpeDistances = new double[30];
    for (int i = 0; i < 40; i++) {
      final double x = (Double) searcher.suggest(i, new History(results)).params().get("x");
      results.add(new Observation(i, Map.of("x", x), 0, (x - 2) * (x - 2)));
      if (i >= 10) {
        tpeDistances[i - 10] = Math.abs(x - 2);
      }
    }
    final RandomSampler random = new RandomSampler(LINE, 7);
    final double[] randomDistances = new double[30];
    for (int i = 10; i < 40; i++) {
      randomDistances[i - 10] = Math.abs((Double) random.sample(i).get("x") - 2);
    }
    // then the model's suggestions sit much closer to the optimum than uniform ones
    assertThat(median(tpeDistances)).isLessThan(0.5).isLessThan(median(randomDistances) / 3);
  }

  @Test
  void maximisingFlipsWhichResultsAreGood() {
    final TpeSearcher searcher = new TpeSearcher(new SearchSpace(LINE), Mode.MAX, 3, SearchSettings.DEFAULTS);
    final List<Observation> results = observe(new RandomSampler(LINE, 3), 30, c -> x(c));
    final double[] xs = new double[20];
    for (int i = 0; i < 20; i++) {
      xs[i] = (Double) searcher.suggest(30 + i, new History(results)).params().get("x");
    }
    assertThat(median(xs)).isGreaterThan(2.5);
  }

  @Test
  void isDeterministicPerSeedAndIndex() {
    final List<Observation> results = observe(new RandomSampler(LINE, 5), 20, c -> x(c) * x(c));
    final History history = new History(results);
    assertThat(tpe(LINE, 5).suggest(20, history)).isEqualTo(tpe(LINE, 5).suggest(20, history));
    assertThat(tpe(LINE, 5).suggest(20, history)).isNotEqualTo(tpe(LINE, 6).suggest(20, history));
    assertThat(tpe(LINE, 5).suggest(20, history)).isNotEqualTo(tpe(LINE, 5).suggest(21, history));
  }

  @Test
  void ranksByTheHighestRungWithEnoughResultsAndPutsTrialsStoppedBelowItLast() {
    // given rung 0 says small x is good; rung 1, on more resource, holds 30 of the 40 trials and
    // says large x is; the 10 trials left in rung 0 have the best rung-0 results of all
    final List<Observation> rung0 = observe(new RandomSampler(LINE, 9), 40, c -> x(c));
    final List<Observation> results = new ArrayList<>();
    final List<Observation> byX = rung0.stream().sorted(java.util.Comparator.comparingDouble(o -> x(o.params()))).toList();
    for (final Observation o : rung0) {
      results.add(new Observation(o.index(), o.params(), 0, o.metric()));
      if (byX.indexOf(o) >= 10) {
        results.add(new Observation(o.index(), o.params(), 1, -x(o.params())));
      }
    }
    final TpeSearcher searcher = tpe(LINE, 9);
    final double[] xs = new double[20];
    // when
    for (int i = 0; i < 20; i++) {
      final Suggestion s = searcher.suggest(40 + i, new History(results));
      xs[i] = (Double) s.params().get("x");
      assertThat(s.how()).isEqualTo("tpe on rung 1 (30 results there, 40 trials ranked, best 10 as l(x))");
    }
    // then the best of rung 1 (large x) form l(x), not the best of rung 0
    assertThat(median(xs)).isGreaterThan(2.0);
  }

  @Test
  void learnsWhichChoiceIsGood() {
    final List<ParamSpec> params = List.of(Specs.categorical("c", "a", "b", "c", "d"));
    final List<Observation> results = observe(new RandomSampler(params, 2), 40,
        c -> "c".equals(c.get("c")) ? 0.0 : 1.0);
    final TpeSearcher searcher = tpe(params, 2);
    int picked = 0;
    for (int i = 0; i < 20; i++) {
      picked += "c".equals(searcher.suggest(40 + i, new History(results)).params().get("c")) ? 1 : 0;
    }
    assertThat(picked).isGreaterThanOrEqualTo(15);
  }

  private static List<Observation> observe(final Sampler sampler, final int n,
      final java.util.function.ToDoubleFunction<Map<String, Object>> metric) {
    final List<Observation> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final Map<String, Object> params = sampler.sample(i);
      results.add(new Observation(i, params, 0, metric.applyAsDouble(params)));
    }
    return results;
  }

  private static double x(final Map<String, Object> configuration) {
    return (Double) configuration.get("x");
  }

  private static double median(final double[] values) {
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
