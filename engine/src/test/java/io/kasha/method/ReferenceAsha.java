package io.kasha.method;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ASHA by brute force, to check {@link AshaPolicy} against: it keeps every result in a list and sorts
 * the whole rung at every decision.
 */
final class ReferenceAsha {

  private record Result(String trialId, double metric, long arrival) {}

  private final List<List<Result>> rungs = new ArrayList<>();
  private final List<Set<String>> promoted = new ArrayList<>();
  private final int eta;
  private final Direction direction;
  private long arrivals;

  ReferenceAsha(final RungSchedule schedule, final int eta, final Direction direction) {
    for (int rung = 0; rung < schedule.size(); rung++) {
      rungs.add(new ArrayList<>());
      promoted.add(new HashSet<>());
    }
    this.eta = eta;
    this.direction = direction;
  }

  void record(final int rung, final String trialId, final double metric) {
    if (rungs.get(rung).stream().noneMatch(r -> r.trialId().equals(trialId))) {
      rungs.get(rung).add(new Result(trialId, metric, arrivals++));
    }
  }

  void promote(final int rung, final String trialId) {
    promoted.get(rung).add(trialId);
  }

  int results(final int rung) {
    return rungs.get(rung).size();
  }

  Optional<AshaPromotion> next() {
    for (int rung = rungs.size() - 2; rung >= 0; rung--) {
      final Optional<AshaPromotion> promotion = next(rung);
      if (promotion.isPresent()) {
        return promotion;
      }
    }
    return Optional.empty();
  }

  /** How many rungs hold a trial that could be promoted now. */
  long promotableRungs() {
    long promotable = 0;
    for (int rung = rungs.size() - 2; rung >= 0; rung--) {
      promotable += next(rung).isPresent() ? 1 : 0;
    }
    return promotable;
  }

  private Optional<AshaPromotion> next(final int rung) {
    final List<Result> ranked = rungs.get(rung).stream().sorted(rank()).toList();
    final int candidates = ranked.size() / eta;
    for (int i = 0; i < candidates; i++) {
      final Result result = ranked.get(i);
      if (!promoted.get(rung).contains(result.trialId())) {
        return Optional.of(new AshaPromotion(result.trialId(), rung, result.metric(), ranked.size(), candidates,
            ranked.get(candidates - 1).metric()));
      }
    }
    return Optional.empty();
  }

  private Comparator<Result> rank() {
    return Comparator.comparingInt((Result r) -> Double.isNaN(r.metric()) ? 2 : Double.isInfinite(r.metric()) ? 1 : 0)
        .thenComparingDouble(r -> Double.isNaN(r.metric()) ? 0 : lowerIsBetter(r.metric()))
        .thenComparingLong(Result::arrival);
  }

  private double lowerIsBetter(final double metric) {
    final double signed = direction == Direction.MAXIMIZE ? -metric : metric;
    return signed == 0 ? 0.0 : signed;
  }
}
