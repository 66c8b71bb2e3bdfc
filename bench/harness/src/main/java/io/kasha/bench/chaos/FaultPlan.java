package io.kasha.bench.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The faults of one campaign and when each strikes, drawn from a seed: the same seed and counts give the same
 * plan. A fault's moment is a point of the study's progress, the fraction of its work done (units of resource
 * trained, counted from its results), drawn uniformly from {@value #EARLIEST} to {@value #LATEST} of the work
 * the study needs at least. Measured in work rather than seconds, the faults spread over the study's run on a
 * fast machine or a slow one, and a fault never strikes a study that has already ended.
 *
 * <p>Which scheduler kills wipe the state directory first is drawn from the same seed.
 */
public record FaultPlan(long seed, List<Fault> faults) {

  static final double EARLIEST = 0.05;
  static final double LATEST = 0.85;

  /** What a fault does. */
  public enum Kind {
    /** SIGKILL a runner that is running a job, then start it again. */
    RUNNER_KILL,
    /** SIGKILL the scheduler, wipe its state directory if the fault says so, then start it again. */
    SCHEDULER_KILL,
    /** SIGKILL the broker, then start it again on the same directory and port. */
    BROKER_RESTART;

    /** {@code runner-kill}, as the JSON figures and the progress lines name it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One fault.
   *
   * @param kind what it does
   * @param atWork the fraction of the study's least work after which it strikes
   * @param wipe for a scheduler kill: whether the state directory is deleted before the restart
   */
  public record Fault(Kind kind, double atWork, boolean wipe) {}

  public FaultPlan {
    faults = List.copyOf(faults);
  }

  /**
   * Draws a plan.
   *
   * @throws IllegalArgumentException if a count is negative or there are more wipes than scheduler kills
   */
  public static FaultPlan draw(final long seed, final int runnerKills, final int schedulerKills, final int wipes,
      final int brokerRestarts) {
    if (runnerKills < 0 || schedulerKills < 0 || wipes < 0 || brokerRestarts < 0) {
      throw new IllegalArgumentException("fault counts must not be negative");
    }
    if (wipes > schedulerKills) {
      throw new IllegalArgumentException("cannot wipe the scheduler's state " + wipes + " times in "
          + schedulerKills + " scheduler kills");
    }
    final Random random = new Random(seed);
    final List<Fault> faults = new ArrayList<>();
    for (int i = 0; i < runnerKills; i++) {
      faults.add(new Fault(Kind.RUNNER_KILL, moment(random), false));
    }
    final List<Boolean> wiped = new ArrayList<>();
    for (int i = 0; i < schedulerKills; i++) {
      wiped.add(i < wipes);
    }
    Collections.shuffle(wiped, random);
    for (int i = 0; i < schedulerKills; i++) {
      faults.add(new Fault(Kind.SCHEDULER_KILL, moment(random), wiped.get(i)));
    }
    for (int i = 0; i < brokerRestarts; i++) {
      faults.add(new Fault(Kind.BROKER_RESTART, moment(random), false));
    }
    faults.sort(Comparator.comparingDouble(Fault::atWork));
    return new FaultPlan(seed, faults);
  }

  /** How many faults of {@code kind} the plan holds. */
  public long count(final Kind kind) {
    return faults.stream().filter(f -> f.kind() == kind).count();
  }

  /** How many scheduler kills wipe the state directory. */
  public long wipes() {
    return faults.stream().filter(Fault::wipe).count();
  }

  private static double moment(final Random random) {
    return EARLIEST + (LATEST - EARLIEST) * random.nextDouble();
  }
}
