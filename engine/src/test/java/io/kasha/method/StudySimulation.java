package io.kasha.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;

/**
 * Runs a whole study against the policy the way the scheduler drives it: fill every free slot, one
 * decision at a time (a promotion if any, else a new trial while the budget lasts), then let one
 * running job, chosen at random, complete and record its result; until nothing runs.
 */
final class StudySimulation {

  record Job(String trialId, int rung) {}

  /** Sees every decision, before it is acted on, and every recorded result. */
  interface Observer {
    default void decided(final AshaPolicy policy, final Optional<AshaPromotion> promotion) {}

    default void recorded(final Job job, final double metric) {}
  }

  private final Supplier<AshaPolicy> policy;
  private final int trials;
  private final int initialWorkers;
  private int workers;
  private final Random random;
  private final ToDoubleBiFunction<String, Integer> metric;
  private final List<AshaPromotion> promotions = new ArrayList<>();
  private Observer observer = new Observer() {};
  private int parallelismChanges;

  /**
   * @param policy asked again for every operation, so that a test may hand out a fresh instance each time
   * @param metric the result of a trial at a rung
   */
  StudySimulation(final Supplier<AshaPolicy> policy, final int trials, final int workers, final Random random,
      final ToDoubleBiFunction<String, Integer> metric) {
    this.policy = policy;
    this.trials = trials;
    this.initialWorkers = workers;
    this.workers = workers;
    this.random = random;
    this.metric = metric;
  }

  StudySimulation observedBy(final Observer observer) {
    this.observer = observer;
    return this;
  }

  /**
   * After a completion, with this percentage of chance, the number of workers changes to a random
   * number up to twice the initial one. While it is lower than the jobs running, results pile up with
   * no decision, so several rungs can hold a promotable trial at once.
   */
  StudySimulation changingParallelism(final int percent) {
    this.parallelismChanges = percent;
    return this;
  }

  /** Runs the study to its end and returns every promotion made, in order. */
  List<AshaPromotion> run() {
    final List<Job> running = new ArrayList<>();
    int started = 0;
    while (true) {
      while (running.size() < workers) {
        final Optional<AshaPromotion> next = policy.get().nextPromotion();
        observer.decided(policy.get(), next);
        if (next.isPresent()) {
          policy.get().markPromoted(next.get());
          promotions.add(next.get());
          running.add(new Job(next.get().trialId(), next.get().toRung()));
        } else if (started < trials) {
          running.add(new Job("trial-" + started++, 0));
        } else {
          break;
        }
      }
      if (running.isEmpty()) {
        return promotions;
      }
      if (random.nextInt(100) < parallelismChanges) {
        workers = 1 + random.nextInt(2 * initialWorkers);
      }
      final Job done = running.remove(random.nextInt(running.size()));
      final double result = metric.applyAsDouble(done.trialId(), done.rung());
      policy.get().record(done.rung(), done.trialId(), result);
      observer.recorded(done, result);
    }
  }

  static int trialNumber(final String trialId) {
    return Integer.parseInt(trialId.substring("trial-".length()));
  }
}
