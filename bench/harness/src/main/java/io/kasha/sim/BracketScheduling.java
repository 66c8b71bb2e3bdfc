package io.kasha.sim;

import io.kasha.method.Bracket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Synchronous successive halving over a cycle of brackets, one after another: rung i+1 of a bracket
 * starts only when every job of rung i is done, with its best {@code floor(n_i / eta)} results (ties
 * to the earlier result); meanwhile free workers wait. After the last bracket the cycle starts again;
 * a bracket starts only if all its configurations fit in the trial limit, else the study ends.
 * Configurations of a bracket's first rung are sampled as workers take them.
 */
final class BracketScheduling implements Scheduling {

  private record Result(long trial, double loss, long arrival) {}

  private static final Comparator<Result> BEST_FIRST = Comparator.comparing(Result::loss, Losses.BEST_FIRST)
      .thenComparingLong(Result::arrival);

  private final SimulatedStudy study;
  private final List<Bracket> cycle;
  private final int rungCount;
  private int next;
  private Bracket bracket;
  private int rung;
  private long sampled;
  private final Deque<Long> waiting = new ArrayDeque<>();
  private final List<Result> results = new ArrayList<>();

  BracketScheduling(final SimulatedStudy study, final List<Bracket> cycle) {
    this.study = study;
    this.cycle = List.copyOf(cycle);
    this.rungCount = study.schedule().size();
    startNextBracket();
  }

  @Override
  public void fill() {
    while (bracket != null && study.hasFreeWorker()) {
      if (rung == 0 && sampled < bracket.n()) {
        sampled++;
        study.start(study.newTrial(), scheduleRung());
      } else if (!waiting.isEmpty()) {
        study.start(waiting.poll(), scheduleRung());
      } else {
        return;
      }
    }
  }

  @Override
  public void completed(final Job job, final double loss) {
    results.add(new Result(job.trial(), loss, results.size()));
    if (results.size() < bracket.configurations().get(rung)) {
      return;
    }
    final boolean last = rung == bracket.s() || bracket.configurations().get(rung + 1) == 0;
    if (last) {
      startNextBracket();
      return;
    }
    results.sort(BEST_FIRST);
    rung++;
    results.subList(0, Math.toIntExact(bracket.configurations().get(rung)))
        .forEach(result -> waiting.add(result.trial()));
    results.clear();
  }

  /** The rung of the whole schedule that the bracket's current rung is. */
  private int scheduleRung() {
    return rungCount - 1 - bracket.s() + rung;
  }

  private void startNextBracket() {
    final Bracket candidate = cycle.get(next);
    final long room = study.config().maxTrials() - study.trialsCreated();
    bracket = candidate.n() <= room ? candidate : null;
    next = (next + 1) % cycle.size();
    rung = 0;
    sampled = 0;
    results.clear();
  }
}
