package io.kasha.bench;

import io.kasha.method.AshaPolicy;
import io.kasha.method.AshaPromotion;
import io.kasha.method.Direction;
import io.kasha.method.RungSchedule;
import io.kasha.store.InMemoryOrderedStore;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The policy's hot path, a result recorded then the next promotion asked for, on an in-memory store
 * that holds a finished ASHA study of {@code trials} trials (eta 3, rungs 1 to 81): the cost must not
 * depend on the size of the study.
 *
 * <p>Each invocation records a result for the same extra trial in rung 0, with a metric drawn from
 * the study's distribution, asks for the next promotion, then removes the result again (a few store
 * writes), so the store keeps its size however long the benchmark runs. The removal is measured with
 * the rest: a per-invocation fixture would put two timer reads around every call, which JMH advises
 * against for calls this short, and the removal costs the same at every size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {

  private static final int ETA = 3;
  private static final int PARALLELISM = 64;
  private static final long SEED = 42;
  private static final RungSchedule SCHEDULE = RungSchedule.of(1, 81, ETA, 0);
  private static final String EXTRA_TRIAL = "extra";
  private static final int METRICS = 1 << 12;

  @Param({"1000", "1000000"})
  public long trials;

  private RevertingStore store;
  private AshaPolicy policy;
  private final double[] metrics = new double[METRICS];
  private int next;

  @Setup(Level.Trial)
  public void fillStore() {
    final InMemoryOrderedStore memory = new InMemoryOrderedStore();
    final SimulatedStudy study = new SimulatedStudy(memory, SCHEDULE, ETA, trials, PARALLELISM, SEED);
    while (study.running()) {
      if (study.jobInFlight()) {
        study.report();
      }
      if (study.putOffWorkDue()) {
        study.continuePutOffWork();
      }
    }
    store = new RevertingStore(memory);
    policy = new AshaPolicy(store, SimulatedStudy.STUDY_ID, SCHEDULE, ETA, Direction.MINIMIZE);
    final SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < METRICS; i++) {
      metrics[i] = random.nextDouble() + random.nextGaussian() * 0.1;
    }
    store.learn(() -> policy.record(0, EXTRA_TRIAL, metrics[0]));
  }

  @Benchmark
  public Optional<AshaPromotion> recordThenNextPromotion() {
    policy.record(0, EXTRA_TRIAL, metrics[next++ & (METRICS - 1)]);
    final Optional<AshaPromotion> promotion = policy.nextPromotion();
    store.revert();
    return promotion;
  }
}
