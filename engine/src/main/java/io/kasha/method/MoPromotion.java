package io.kasha.method;

import java.util.List;

/**
 * A decision of {@link MultiObjectiveAsha} to continue {@code trialId} from {@code fromRung} to the next rung.
 *
 * @param metrics the trial's results in {@code fromRung}, one per objective
 * @param rank the trial's 1-based place in the rung's order (front, tie-break, arrival)
 * @param front the trial's non-dominated front, 0 for the Pareto front of the rung
 * @param candidates {@code floor(rungResults / eta)}: how many of the first ranked results may be promoted
 */
public record MoPromotion(
    String trialId, int fromRung, List<Double> metrics, int rank, int front, long rungResults, long candidates) {

  public MoPromotion {
    metrics = List.copyOf(metrics);
  }

  public int toRung() {
    return fromRung + 1;
  }

  /** For example "rank 2 of 9 in rung 1 (front 0, [0.2, 13.0]), within the top 3". */
  public String reason() {
    return "rank " + rank + " of " + rungResults + " in rung " + fromRung + " (front " + front + ", " + metrics
        + "), the best not-yet-promoted within the top " + candidates;
  }
}
