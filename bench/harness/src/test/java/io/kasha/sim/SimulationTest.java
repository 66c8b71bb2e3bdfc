package io.kasha.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kasha.benchmark.BenchmarkFunctions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

  @Test
  void theSameSeedGivesTheSameStudyAndAnotherSeedAnotherOne() {
    // given hartmann6 with its noise, stragglers and drops
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("hartmann6"), Method.ASHA, 25,
        SimulationConfig.NO_TRIAL_LIMIT, 100_000).withSeed(7).withStragglerSigma(0.5).withDropProbability(1e-4);
    // when
    final SimulationResult first = Simulation.run(config);
    final SimulationResult second = Simulation.run(config);
    final SimulationResult otherSeed = Simulation.run(config.withSeed(8));
    // then
    assertThat(first.droppedJobs()).isPositive();
    assertThat(first.trace()).hasSizeGreaterThan(3);
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed.trace()).isNotEqualTo(first.trace());
  }

  @Test
  void utilizationIsBusyWorkerTimeOverWorkersTimesSpan() {
    // given 3 trials of 81 s each (one rung at R = 81, 1 s per unit) on 2 workers
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.RANDOM, 2, 3,
        SimulationConfig.NO_TIME_LIMIT).withResources(81, 81, 3);
    // when: two jobs run 0..81, the third 81..162 while one worker is idle
    final SimulationResult result = Simulation.run(config);
    // then
    assertThat(result.virtualSeconds()).isEqualTo(162);
    assertThat(result.busyWorkerSeconds()).isEqualTo(243);
    assertThat(result.utilization()).isEqualTo(243.0 / (2 * 162));
    assertThat(result.evaluationsPerRung()).containsExactly(3L);
  }

  @Test
  void synchronousHalvingOfNineTrialsOnNineWorkersWaitsForEachRung() {
    // given rungs 1, 3, 9 at 1 s per unit with checkpoints, 9 trials, 9 workers
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.SHA, 9, 9,
        SimulationConfig.NO_TIME_LIMIT).withResources(1, 9, 3);
    // when: 9 jobs of 1 s, then 3 of 2 s, then 1 of 6 s
    final SimulationResult result = Simulation.run(config);
    // then
    assertThat(result.evaluationsPerRung()).containsExactly(9L, 3L, 1L);
    assertThat(result.virtualSeconds()).isEqualTo(9);
    assertThat(result.busyWorkerSeconds()).isEqualTo(9 + 3 * 2 + 6);
    assertThat(result.utilization()).isEqualTo(21.0 / 81);
  }

  @Test
  void underATimeLimitAshaKeepsEveryWorkerBusyWhileSynchronousHalvingWaits() {
    // given stragglers and no trial limit, so a free worker always has something it could run
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.ASHA, 10,
        SimulationConfig.NO_TRIAL_LIMIT, 5_000).withStragglerSigma(0.5);
    // when
    final SimulationResult asha = Simulation.run(config);
    final SimulationResult sha = Simulation.run(config.withMethod(Method.SHA));
    // then
    assertThat(asha.utilization()).isCloseTo(1.0, within(1e-9));
    assertThat(sha.utilization()).isLessThan(0.8);
    assertThat(sha.evaluationsPerRung().get(0)).isGreaterThan(81);
  }

  @Test
  void shaWithoutATrialLimitStartsBracketsThatGiveEveryWorkerARungZeroJob() {
    // given 100 workers and rungs 1..81: brackets of 162 = 81 x 2 configurations
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.SHA, 100,
        SimulationConfig.NO_TRIAL_LIMIT, 30);
    final BracketWatch watch = new BracketWatch();
    // when
    Simulation.run(config, watch);
    // then: 100 jobs start at once, on every worker, and 62 more as the first ones end
    assertThat(watch.maxRunning).isEqualTo(100);
    assertThat(watch.firstBracketStarts).isEqualTo(162);
  }

  @Test
  void aDriverCanMakeTheDecisionsThroughTheSchedulingExtensionPoint() {
    // given a method that trains one trial at a time straight to the top rung, whatever the workers
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.ASHA, 4, 3,
        SimulationConfig.NO_TIME_LIMIT);
    final List<String> seen = new ArrayList<>();
    final Scheduling.Factory oneAtATime = study -> new Scheduling() {
      private boolean running;

      @Override
      public void fill() {
        if (!running && study.trialsCreated() < study.config().maxTrials()) {
          final long trial = study.newTrial();
          seen.add(trial + "@" + study.now() + " x=" + study.params(trial).get("x"));
          study.start(trial, study.schedule().topRung());
          running = true;
        }
      }

      @Override
      public void completed(final Job job, final double loss) {
        running = false;
      }
    };
    // when
    final SimulationResult result = Simulation.run(config, oneAtATime, new SimulationListener() {});
    // then
    assertThat(result.virtualSeconds()).isEqualTo(3 * 81);
    assertThat(result.utilization()).isEqualTo(0.25);
    assertThat(result.evaluationsPerRung()).containsExactly(0L, 0L, 0L, 0L, 3L);
    assertThat(seen).hasSize(3).first().asString().startsWith("0@0.0 x=");
  }

  @Test
  void startingAJobWithEveryWorkerBusyIsRefused() {
    // given one worker
    final SimulationConfig config = SimulationConfig.of(ToyFunction.unitCost(), Method.ASHA, 1, 2,
        SimulationConfig.NO_TIME_LIMIT);
    // when / then
    assertThatThrownBy(() -> Simulation.run(config, study -> new Scheduling() {
      @Override
      public void fill() {
        study.start(study.newTrial(), 0);
        study.start(study.newTrial(), 0);
      }

      @Override
      public void completed(final Job job, final double loss) {}
    }, new SimulationListener() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("all 1 workers are busy");
  }

  /** Counts running jobs, and the rung-0 jobs started before the first job of a higher rung. */
  private static final class BracketWatch implements SimulationListener {
    private int running;
    private int maxRunning;
    private long firstBracketStarts;
    private boolean promotedYet;

    @Override
    public void started(final double time, final Job job) {
      running++;
      maxRunning = Math.max(maxRunning, running);
      promotedYet |= job.rung() > 0;
      firstBracketStarts += promotedYet ? 0 : 1;
    }

    @Override
    public void completed(final double time, final Job job, final double loss) {
      running--;
    }
  }
}
