package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MedianStoppingTest {

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void followsTheWorkedExampleOfItsDocumentation() {
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MINIMIZE, 1, 2);
    rule.record("a", 1, 1.0);
    rule.record("a", 2, 0.8);
    rule.record("b", 1, 1.2);
    rule.record("b", 2, 1.0);
    final Verdict c = rule.record("c", 1, 2.0);
    assertThat(c.action()).isEqualTo(Verdict.Action.STOP);
    assertThat(c.reason()).isEqualTo(
        "stopped: best 2.0 against the median 1.1 of the running averages of 2 other trials at step 1");
  }

  @Test
  void judgesNoTrialWithinTheGracePeriod() {
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MAXIMIZE, 3, 1);
    rule.record("a", 1, 10);
    rule.record("a", 3, 10);
    assertThat(rule.record("b", 2, 0).continues()).isTrue();
    assertThat(rule.record("b", 3, 0).continues()).isFalse();
  }

  @Test
  void continuesWhileFewerThanMinSamplesOtherTrialsReachedTheStep() {
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MAXIMIZE, 0, 2);
    rule.record("a", 5, 10);
    final Verdict b = rule.record("b", 5, 0);
    assertThat(b.continues()).isTrue();
    assertThat(b.reason()).isEqualTo("1 other trials reached step 5, fewer than min_samples 2");
    rule.record("c", 4, 10);
    // c has not reached step 5: it does not count
    assertThat(rule.record("b", 6, 0).continues()).isTrue();
  }

  @Test
  void comparesTheBestResultSoFarNotTheLatest() {
    // given others average 0.5 up to step 2; d had 0.9 at step 1 then drops to 0.1
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MAXIMIZE, 1, 1);
    rule.record("a", 1, 0.5);
    rule.record("a", 2, 0.5);
    rule.record("d", 1, 0.9);
    assertThat(rule.record("d", 2, 0.1).continues()).isTrue();
  }

  @Test
  void runningAveragesCountOnlyResultsFromTheGracePeriodToTheStep() {
    // given a's results 100 (step 1, before grace), 1 (step 2), 3 (step 3), 100 (step 4)
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MAXIMIZE, 2, 1);
    rule.record("a", 1, 100);
    rule.record("a", 2, 1);
    rule.record("a", 3, 3);
    rule.record("a", 4, 100);
    // then a's running average at step 3 is 2: 1.9 is stopped, 2.0 is not
    assertThat(rule.record("b", 3, 1.9).continues()).isFalse();
    assertThat(rule.record("c", 3, 2.0).continues()).isTrue();
  }

  @Test
  void aStoppedTrialStaysStoppedAndStaleStepsChangeNothing() {
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MINIMIZE, 0, 1);
    rule.record("a", 1, 0.1);
    assertThat(rule.record("b", 1, 0.9).continues()).isFalse();
    assertThat(rule.record("b", 2, 0.0).continues()).isFalse();
    assertThat(rule.record("a", 1, 5.0).reason()).isEqualTo("already recorded up to step 1");
  }

  @Test
  void nanResultsCountAsTheWorst() {
    final MedianStopping rule = new MedianStopping(store, "study", Direction.MINIMIZE, 0, 1);
    rule.record("a", 1, 1e9);
    assertThat(rule.record("b", 1, Double.NaN).continues()).isFalse();
    rule.record("c", 1, Double.POSITIVE_INFINITY);
    rule.record("d", 1, Double.NaN);
    // the median of a, c and d is the worst value: nothing is worse
    assertThat(rule.record("e", 1, Double.NaN).continues()).isTrue();
  }

  @Test
  void rejectsBadSettingsAndNegativeSteps() {
    assertThatIllegalArgumentException().isThrownBy(() -> new MedianStopping(store, "s", Direction.MINIMIZE, -1, 3));
    assertThatIllegalArgumentException().isThrownBy(() -> new MedianStopping(store, "s", Direction.MINIMIZE, 0, 0));
    assertThatIllegalArgumentException().isThrownBy(
        () -> new MedianStopping(store, "s", Direction.MINIMIZE, 0, 1).record("a", -1, 0));
  }

  @Test
  void agreesWithRayTunesListBasedRuleOnRandomStudies() {
    final Random random = new Random(5);
    for (int study = 0; study < 20; study++) {
      final long grace = random.nextInt(4);
      final int minSamples = 1 + random.nextInt(3);
      final MedianStopping rule = new MedianStopping(new InMemoryOrderedStore(), "s", Direction.MINIMIZE,
          grace, minSamples);
      final Reference reference = new Reference(grace, minSamples);
      final long[] steps = new long[8];
      for (int i = 0; i < 150; i++) {
        final int trial = random.nextInt(steps.length);
        steps[trial] += 1 + random.nextInt(2);
        final double metric = random.nextInt(30) == 0 ? Double.NaN : random.nextDouble();
        assertThat(rule.record("t" + trial, steps[trial], metric).continues())
            .as("study %d, result %d", study, i)
            .isEqualTo(reference.continues("t" + trial, steps[trial], metric));
      }
    }
  }

  @Test
  void aNewInstanceOverTheSameStoreContinuesIdentically() {
    final Random random = new Random(9);
    final MedianStopping whole = new MedianStopping(new InMemoryOrderedStore(), "s", Direction.MAXIMIZE, 2, 2);
    final long[] steps = new long[6];
    for (int i = 0; i < 120; i++) {
      final MedianStopping restarted = new MedianStopping(store, "s", Direction.MAXIMIZE, 2, 2);
      final int trial = random.nextInt(steps.length);
      steps[trial]++;
      final double metric = random.nextDouble();
      assertThat(restarted.record("t" + trial, steps[trial], metric))
          .isEqualTo(whole.record("t" + trial, steps[trial], metric));
    }
  }

  /** Ray Tune's MedianStopping over in-memory lists of results, minimising. */
  private static final class Reference {
    private final long grace;
    private final int minSamples;
    private final Map<String, List<double[]>> results = new LinkedHashMap<>();
    private final Set<String> stopped = new HashSet<>();

    Reference(final long grace, final int minSamples) {
      this.grace = grace;
      this.minSamples = minSamples;
    }

    boolean continues(final String trial, final long step, final double metric) {
      if (stopped.contains(trial)) {
        return false;
      }
      final double value = Double.isFinite(metric) ? -metric : Double.NEGATIVE_INFINITY;
      results.computeIfAbsent(trial, t -> new ArrayList<>()).add(new double[] {step, value});
      if (step < grace) {
        return true;
      }
      final List<Double> means = new ArrayList<>();
      results.forEach((other, list) -> {
        if (!other.equals(trial) && list.get(list.size() - 1)[0] >= step) {
          double sum = 0;
          int count = 0;
          for (final double[] r : list) {
            if (r[0] >= grace && r[0] <= step) {
              sum += r[1];
              count++;
            }
          }
          means.add(sum / count);
        }
      });
      if (means.size() < minSamples) {
        return true;
      }
      final double best = results.get(trial).stream().mapToDouble(r -> r[1]).max().orElseThrow();
      final double median = MedianStopping.median(means.stream().mapToDouble(Double::doubleValue).toArray());
      if (best < median) {
        stopped.add(trial);
        return false;
      }
      return true;
    }
  }
}
