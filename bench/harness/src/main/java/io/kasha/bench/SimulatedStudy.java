package io.kasha.bench;

import io.kasha.method.AshaPolicy;
import io.kasha.method.Direction;
import io.kasha.method.RungSchedule;
import io.kasha.method.SchedulingRule;
import io.kasha.method.SchedulingRules;
import io.kasha.method.SlotFiller;
import io.kasha.method.SlotPromotion;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudySpec;
import io.kasha.store.OrderedStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One ASHA study driven the way the scheduler drives it, through its rule ({@link SchedulingRules})
 * and its {@link SlotFiller}, with simulated runners: a fixed number of jobs in flight, and each
 * {@link #report} completes one of them, picked at random, with a seeded random metric. A report is
 * the rule's {@code record} followed by the slot-filling decisions.
 *
 * <p>Only the jobs in flight live on the heap; the study's rungs live in the store. A trial's metric
 * is its hidden quality (a hash of the seed and its number) plus noise that shrinks with the rung, so
 * that good trials tend to stay good, as in a real study. Minimises. Not thread-safe.
 */
final class SimulatedStudy implements SlotFiller.Slots {

  static final String STUDY_ID = "bench";
  private static final String METRIC = "loss";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final SchedulingRule rule;
  /** The same rungs read through the policy, for their counts; it keeps no state of its own. */
  private final AshaPolicy policy;
  private final RungSchedule schedule;
  private final long trials;
  private final int parallelism;
  private final long seed;
  private final SplittableRandom random;

  private final long[] jobTrial;
  private final int[] jobRung;
  private int inFlight;
  private long created;
  private long reports;

  /**
   * Creates the study and fills its {@code parallelism} slots, as the scheduler does when a study
   * starts.
   */
  SimulatedStudy(final OrderedStore store, final RungSchedule schedule, final int eta, final long trials,
      final int parallelism, final long seed) {
    this.rule = SchedulingRules.forSpec(STUDY_ID, spec(schedule, eta, trials, parallelism), store);
    this.policy = new AshaPolicy(store, STUDY_ID, schedule, eta, Direction.MINIMIZE);
    this.schedule = schedule;
    this.trials = trials;
    this.parallelism = parallelism;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.jobTrial = new long[parallelism];
    this.jobRung = new int[parallelism];
    fillSlots();
  }

  /** True while a job is in flight: the study is not over. */
  boolean running() {
    return inFlight > 0;
  }

  /**
   * What one report cost in the policy (record and decisions; the simulated runner's work is not
   * counted).
   *
   * @param wallNanos the wall time, which includes the time the thread waited for a core
   * @param cpuNanos the CPU time of the calling thread, which does not
   */
  record ReportCost(long wallNanos, long cpuNanos) {}

  /**
   * Completes one job in flight and makes the decisions that follow, and says what that cost.
   *
   * @throws IllegalStateException if the study is over
   */
  ReportCost report() {
    if (inFlight == 0) {
      throw new IllegalStateException("the study is over: no job is in flight");
    }
    final int job = random.nextInt(inFlight);
    final long trial = jobTrial[job];
    final int rung = jobRung[job];
    final String trialId = trialId(trial);
    final double metric = metric(trial, rung);
    inFlight--;
    jobTrial[job] = jobTrial[inFlight];
    jobRung[job] = jobRung[inFlight];

    final long cpuStart = THREADS.getCurrentThreadCpuTime();
    final long start = System.nanoTime();
    rule.record(trialId, rung, Map.of(METRIC, metric), null);
    fillSlots();
    final long nanos = System.nanoTime() - start;
    final long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
    reports++;
    return new ReportCost(nanos, cpuNanos);
  }

  long created() {
    return created;
  }

  long reports() {
    return reports;
  }

  AshaPolicy policy() {
    return policy;
  }

  private void fillSlots() {
    SlotFiller.fill(rule, this);
  }

  @Override
  public boolean hasFreeSlot() {
    return inFlight < parallelism;
  }

  @Override
  public boolean trialBudgetLeft() {
    return created < trials;
  }

  @Override
  public void promote(final SlotPromotion promotion) {
    start(trialNumber(promotion.trialId()), promotion.toRung());
  }

  @Override
  public void startNewTrial() {
    start(created++, 0);
  }

  /** The ASHA study the scheduler would run with these rungs, budget and slots. */
  private static StudySpec spec(final RungSchedule schedule, final int eta, final long trials, final int parallelism) {
    return StudySpec.newBuilder()
        .setMetric(METRIC)
        .setMode(Mode.MIN)
        .setEntrypoint("bench")
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setMinResource(schedule.resource(0))
        .setMaxResource(schedule.resource(schedule.topRung()))
        .setEta(eta)
        .setParallelism(parallelism)
        .setMaxTrials((int) Math.min(Integer.MAX_VALUE, trials))
        .build();
  }

  private void start(final long trial, final int rung) {
    jobTrial[inFlight] = trial;
    jobRung[inFlight] = rung;
    inFlight++;
  }

  private double metric(final long trial, final int rung) {
    final double quality = (mix(seed ^ mix(trial)) >>> 11) * 0x1.0p-53;
    final double noise = random.nextGaussian() * 0.1 * schedule.resource(0) / schedule.resource(rung);
    return quality + noise;
  }

  static String trialId(final long trial) {
    return "t" + trial;
  }

  private static long trialNumber(final String trialId) {
    return Long.parseLong(trialId, 1, trialId.length(), 10);
  }

  /** The SplitMix64 finaliser: a well-spread hash of a long. */
  private static long mix(final long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
