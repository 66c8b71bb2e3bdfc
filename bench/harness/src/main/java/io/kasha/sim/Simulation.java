package io.kasha.sim;

import io.kasha.method.RungSchedule;
import io.kasha.space.RandomSampler;
import io.kasha.space.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of one study in virtual time, without Kafka: workers take jobs, a job
 * lasts as long as the function's cost model says (times a straggler factor), may be lost and run
 * again, and its result goes to the tuning method, which decides what starts next.
 *
 * <p>Deterministic: the same config gives the same result. Events at the same virtual time are
 * handled in the order they were scheduled, and the sampler, the durations, the drops and the
 * function's noise each draw from their own generator derived from the seed.
 *
 * <p>The decisions come from a {@link Scheduling}: the in-memory one of {@link SimulationConfig#method()},
 * or any other given to {@link #run(SimulationConfig, Scheduling.Factory, SimulationListener)}, which
 * sees the study as a {@link SimulatedStudy}. Cost: a few microseconds of CPU per job, so a study of
 * hundreds of thousands of trials simulates in seconds.
 */
public final class Simulation implements SimulatedStudy {

  /** A job's end, or its loss when {@code dropped}; each running job has exactly one. */
  private record Event(double time, long seq, Job job, double start, boolean dropped) {}

  private static final Comparator<Event> TIME_ORDER =
      Comparator.comparingDouble(Event::time).thenComparingLong(Event::seq);

  private final SimulationConfig config;
  private final SimulationListener listener;
  private final RungSchedule schedule;
  private final Sampler sampler;
  private final SplittableRandom durations;
  private final SplittableRandom drops;
  private final SplittableRandom noise;
  private final double dropRate;
  private final PriorityQueue<Event> events = new PriorityQueue<>(TIME_ORDER);
  private final List<Map<String, Object>> params = new ArrayList<>();
  private long[] reached = new long[64];
  private final long[] evaluations;
  private final List<TracePoint> trace = new ArrayList<>();
  private long seq;
  private double now;
  private double busy;
  private long dropped;

  private Simulation(final SimulationConfig config, final SimulationListener listener) {
    this.config = config;
    this.listener = listener;
    this.schedule = RungSchedule.of(config.minResource(), config.maxResource(), config.eta(), 0);
    this.sampler = new RandomSampler(config.function().params(), config.seed());
    final SplittableRandom root = new SplittableRandom(config.seed());
    this.durations = root.split();
    this.drops = root.split();
    this.noise = root.split();
    this.dropRate = -Math.log1p(-config.dropProbability());
    this.evaluations = new long[schedule.size()];
  }

  /** Runs the study to its end with its method's in-memory {@link Scheduling}; see {@link #run(SimulationConfig, Scheduling.Factory, SimulationListener)}. */
  public static SimulationResult run(final SimulationConfig config) {
    return run(config, config.method(), new SimulationListener() {});
  }

  /** As {@link #run(SimulationConfig)}, telling {@code listener} every job start, end and loss. */
  public static SimulationResult run(final SimulationConfig config, final SimulationListener listener) {
    return run(config, config.method(), listener);
  }

  /**
   * Runs the study to its end, nothing running and nothing started by the last {@link Scheduling#fill},
   * or to the time limit, with the decisions made by the {@link Scheduling} that {@code scheduling}
   * makes for it ({@link SimulationConfig#method()} is then only a label).
   */
  public static SimulationResult run(final SimulationConfig config, final Scheduling.Factory scheduling,
      final SimulationListener listener) {
    final Simulation simulation = new Simulation(config, listener);
    return simulation.run(scheduling.create(simulation));
  }

  private SimulationResult run(final Scheduling method) {
    method.fill();
    boolean timeLimitReached = false;
    while (!events.isEmpty()) {
      if (events.peek().time() > config.maxSeconds()) {
        timeLimitReached = true;
        break;
      }
      final Event event = events.poll();
      now = event.time();
      busy += now - event.start();
      if (event.dropped()) {
        dropped++;
        listener.dropped(now, event.job());
        start(event.job().rerun());
      } else {
        final double loss = complete(event.job());
        method.completed(event.job(), loss);
        method.fill();
      }
    }
    if (timeLimitReached) {
      now = config.maxSeconds();
      for (final Event running : events) {
        busy += now - running.start();
      }
    }
    return new SimulationResult(now, busy, config.workers(), params.size(), schedule.resources(),
        Arrays.stream(evaluations).boxed().toList(), trace, dropped, timeLimitReached);
  }

  // ---- what the methods use -------------------------------------------------------------------

  @Override
  public SimulationConfig config() {
    return config;
  }

  @Override
  public RungSchedule schedule() {
    return schedule;
  }

  @Override
  public double now() {
    return now;
  }

  @Override
  public boolean hasFreeWorker() {
    return events.size() < config.workers();
  }

  @Override
  public long trialsCreated() {
    return params.size();
  }

  @Override
  public long newTrial() {
    return newTrial(sampler.sample(params.size()));
  }

  @Override
  public long newTrial(final Map<String, Object> configuration) {
    final long trial = params.size();
    params.add(configuration);
    if (trial == reached.length) {
      reached = Arrays.copyOf(reached, reached.length * 2);
    }
    return trial;
  }

  @Override
  public Map<String, Object> params(final long trial) {
    return params.get(trialIndex(trial));
  }

  @Override
  public void start(final long trial, final int rung) {
    if (!hasFreeWorker()) {
      throw new IllegalStateException("all " + config.workers() + " workers are busy");
    }
    if (rung < 0 || rung >= schedule.size()) {
      throw new IllegalArgumentException("rung " + rung + " is outside 0.." + schedule.topRung());
    }
    final int index = trialIndex(trial);
    final long from = config.checkpoints() ? reached[index] : 0;
    start(new Job(trial, params.get(index), rung, from, schedule.resource(rung), 1));
  }

  private int trialIndex(final long trial) {
    if (trial < 0 || trial >= params.size()) {
      throw new IllegalArgumentException("no trial " + trial + " (" + params.size() + " created)");
    }
    return (int) trial;
  }

  // ---- jobs -----------------------------------------------------------------------------------

  private void start(final Job job) {
    final double duration = duration(job);
    final double lostAfter = dropRate > 0 ? drops.nextExponential() / dropRate : Double.POSITIVE_INFINITY;
    final boolean lost = lostAfter < duration;
    events.add(new Event(now + (lost ? lostAfter : duration), seq++, job, now, lost));
    listener.started(now, job);
  }

  private double duration(final Job job) {
    final long max = config.maxResource();
    final double cost = job.fromResource() == 0
        ? config.function().cost(job.toResource(), max)
        : config.function().cost(job.toResource(), max) - config.function().cost(job.fromResource(), max);
    if (!(cost > 0) || Double.isInfinite(cost)) {
      throw new IllegalStateException(config.function().name() + " costs " + cost + " s from resource "
          + job.fromResource() + " to " + job.toResource() + ": every job must take a positive, finite time");
    }
    final double straggle = config.stragglerSigma() > 0 ? Math.abs(durations.nextGaussian()) * config.stragglerSigma() : 0;
    return cost * (1 + straggle);
  }

  private double complete(final Job job) {
    final double loss = config.function().loss(job.params(), job.toResource(), config.maxResource(), noise);
    evaluations[job.rung()]++;
    reached[(int) job.trial()] = job.toResource();
    listener.completed(now, job, loss);
    final TracePoint best = trace.isEmpty() ? null : trace.get(trace.size() - 1);
    if (best == null || job.toResource() > best.resource()
        || (job.toResource() == best.resource() && Losses.BEST_FIRST.compare(loss, best.loss()) < 0)) {
      trace.add(new TracePoint(now, job.trial(), job.toResource(), loss,
          config.function().regret(job.params(), config.maxResource())));
    }
    return loss;
  }
}
