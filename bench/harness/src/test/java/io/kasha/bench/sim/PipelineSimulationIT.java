package io.kasha.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.sim.Job;
import io.kasha.sim.Method;
import io.kasha.sim.Simulation;
import io.kasha.sim.SimulationConfig;
import io.kasha.sim.SimulationListener;
import io.kasha.sim.SimulationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's two paths, in memory and through the real broker and scheduler, decide alike. */
class PipelineSimulationIT {

  private static PipelineSimulator pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = PipelineSimulator.start();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** Every job start and result, with its virtual time: the whole sequence of decisions. */
  private static final class Recorder implements SimulationListener {
    final List<String> log = new ArrayList<>();

    @Override
    public void started(final double time, final Job job) {
      log.add(String.format("%.6f start t%d rung %d %d..%d attempt %d", time, job.trial(), job.rung(),
          job.fromResource(), job.toResource(), job.attempt()));
    }

    @Override
    public void completed(final double time, final Job job, final double loss) {
      log.add(String.format("%.6f done t%d rung %d loss %s", time, job.trial(), job.rung(), loss));
    }

    @Override
    public void dropped(final double time, final Job job) {
      log.add(String.format("%.6f lost t%d rung %d", time, job.trial(), job.rung()));
    }
  }

  @Test
  void aStudyOfTwentyFiveWorkersMakesTheSameDecisionsThroughTheSchedulerAsInMemory() {
    // given hartmann6 with its noise and equal job durations, so that many jobs end at the same time
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("hartmann6"), Method.ASHA, 25,
        120, SimulationConfig.NO_TIME_LIMIT).withSeed(11);
    assertSameDecisions(config);
  }

  @Test
  void fiveHundredWorkersWithStragglersAndDroppedJobsMakeTheSameDecisions() {
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("hartmann6"), Method.ASHA, 500,
        520, SimulationConfig.NO_TIME_LIMIT).withSeed(3).withStragglerSigma(0.5).withDropProbability(1e-4);
    assertSameDecisions(config);
  }

  @Test
  void aStudyCutByTheTimeLimitEndsAtTheSamePoint() {
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("branin"), Method.ASHA, 8,
        SimulationConfig.NO_TRIAL_LIMIT, 10_000).withSeed(5);
    assertSameDecisions(config);
  }

  @Test
  void synchronousShaMakesTheSameDecisionsThroughTheScheduler() {
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("hartmann3"), Method.SHA, 10,
        81, SimulationConfig.NO_TIME_LIMIT).withSeed(2).withStragglerSigma(0.3);
    assertSameDecisions(config);
  }

  @Test
  void hyperbandMakesTheSameDecisionsThroughTheScheduler() {
    final SimulationConfig config = SimulationConfig.of(BenchmarkFunctions.named("branin"), Method.HYPERBAND, 12,
        300, SimulationConfig.NO_TIME_LIMIT).withSeed(7).withStragglerSigma(0.3);
    assertSameDecisions(config);
  }

  private static void assertSameDecisions(final SimulationConfig config) {
    // when
    final Recorder inMemory = new Recorder();
    final SimulationResult expected = Simulation.run(config, inMemory);
    final Recorder throughKafka = new Recorder();
    final SimulationResult actual = pipeline.run(config, throughKafka);
    // then
    assertThat(inMemory.log).hasSizeGreaterThan(2 * config.workers());
    assertThat(throughKafka.log).containsExactlyElementsOf(inMemory.log);
    assertThat(actual).isEqualTo(expected);
  }
}
