package io.kasha.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Watches an ASHA simulation and re-checks every decision against the rule, recomputed the obvious
 * way, independent of the policy's indexes: each rung is a list kept sorted best first, and its
 * candidates are its first {@code floor(n / eta)} entries:
 *
 * <ul>
 *   <li>a promotion out of rung k takes the best not-yet-promoted trial among the best
 *       {@code floor(n_k / eta)} results of rung k, and no higher rung had a promotable trial;
 *   <li>a new trial starts only when no rung has a promotable trial and the trial budget allows;
 *   <li>no more jobs run than there are workers, and whenever time moves on with a worker free,
 *       nothing could have started on it;
 *   <li>a dropped job is started again at once, same trial and rung, next attempt.
 * </ul>
 */
final class AshaRuleCheck implements SimulationListener {

  private record Result(long trial, double loss, long arrival) {}

  private static final Comparator<Result> BEST_FIRST =
      Comparator.comparing(Result::loss, Losses.BEST_FIRST).thenComparingLong(Result::arrival);

  private final int workers;
  private final long maxTrials;
  private final int eta;
  private final List<List<Result>> rungs = new ArrayList<>();
  private final List<Set<Long>> promoted = new ArrayList<>();
  private final Set<String> sentTo = new HashSet<>();
  private final List<String> violations = new ArrayList<>();
  private long created;
  private long arrivals;
  private int running;
  private Job droppedJob;
  private long promotions;

  AshaRuleCheck(final SimulationConfig config, final int rungCount) {
    this.workers = config.workers();
    this.maxTrials = config.maxTrials();
    this.eta = config.eta();
    for (int k = 0; k < rungCount; k++) {
      rungs.add(new ArrayList<>());
      promoted.add(new HashSet<>());
    }
  }

  @Override
  public void started(final double time, final Job job) {
    if (running >= workers) {
      violations.add(time + ": " + job + " started with all " + workers + " workers busy");
    }
    running++;
    if (job.attempt() > 1) {
      if (!job.equals(droppedJob == null ? null : droppedJob.rerun())) {
        violations.add(time + ": " + job + " is a re-run, but the job dropped last was " + droppedJob);
      }
      droppedJob = null;
      return;
    }
    if (droppedJob != null) {
      violations.add(time + ": " + droppedJob + " was dropped and not run again at once");
    }
    final Optional<Result> expected = nextPromotion();
    if (job.rung() == 0) {
      expected.ifPresent(p -> violations.add(time + ": new trial " + job.trial() + " while " + p.trial()
          + " was promotable"));
      if (job.trial() != created || created >= maxTrials) {
        violations.add(time + ": new trial " + job.trial() + " as number " + created + " of " + maxTrials);
      }
      created++;
    } else {
      final int from = job.rung() - 1;
      if (expected.isEmpty() || expected.get().trial() != job.trial() || promotableRung() != from) {
        violations.add(time + ": " + job.trial() + " promoted to rung " + job.rung() + " but the rule promotes "
            + expected.map(p -> p.trial() + " out of rung " + promotableRung()).orElse("nothing"));
      }
      promoted.get(from).add(job.trial());
      promotions++;
    }
    sentTo.add(job.trial() + "@" + job.rung());
  }

  @Override
  public void completed(final double time, final Job job, final double loss) {
    checkNoIdleWorker(time);
    running--;
    if (!sentTo.remove(job.trial() + "@" + job.rung())) {
      violations.add(time + ": result of " + job.trial() + " in rung " + job.rung() + ", never sent there");
    }
    final List<Result> rung = rungs.get(job.rung());
    final Result result = new Result(job.trial(), loss, arrivals++);
    final int position = Collections.binarySearch(rung, result, BEST_FIRST);
    rung.add(-position - 1, result);
  }

  @Override
  public void dropped(final double time, final Job job) {
    checkNoIdleWorker(time);
    running--;
    droppedJob = job;
  }

  /** Checks the state the simulation ended in: nothing runs and nothing could start. */
  List<String> violationsAtTheEnd() {
    final List<String> all = new ArrayList<>(violations);
    if (running != 0 || nextPromotion().isPresent() || created < maxTrials) {
      all.add("ended with " + running + " running, " + created + " of " + maxTrials + " trials created, "
          + "promotable: " + nextPromotion());
    }
    return all;
  }

  List<String> violations() {
    return violations;
  }

  long promotions() {
    return promotions;
  }

  private void checkNoIdleWorker(final double time) {
    if (running < workers && (nextPromotion().isPresent() || created < maxTrials)) {
      violations.add(time + ": " + (workers - running) + " workers idle while a job could start");
    }
  }

  private Optional<Result> nextPromotion() {
    final int rung = promotableRung();
    return rung < 0 ? Optional.empty() : firstUnpromotedCandidate(rung);
  }

  private int promotableRung() {
    for (int k = rungs.size() - 2; k >= 0; k--) {
      if (firstUnpromotedCandidate(k).isPresent()) {
        return k;
      }
    }
    return -1;
  }

  private Optional<Result> firstUnpromotedCandidate(final int rung) {
    final List<Result> sorted = rungs.get(rung);
    return sorted.subList(0, sorted.size() / eta).stream()
        .filter(r -> !promoted.get(rung).contains(r.trial()))
        .findFirst();
  }
}
