package io.kasha.method;

/**
 * A decision to continue {@code trialId} from {@code fromRung} to the next rung.
 *
 * @param metric the trial's result in {@code fromRung}
 * @param rungResults the number of results in {@code fromRung} when the decision was made
 * @param candidates {@code floor(rungResults / eta)}: how many of the best results may be promoted
 * @param cutoffMetric the result of the {@code candidates}-th best entry of the rung
 */
public record AshaPromotion(
    String trialId, int fromRung, double metric, long rungResults, long candidates, double cutoffMetric) {

  public int toRung() {
    return fromRung + 1;
  }

  /** For example "best not-yet-promoted result of rung 1 (0.213), within the top 3 of 9 results, cut-off 0.25". */
  public String reason() {
    return "best not-yet-promoted result of rung " + fromRung + " (" + metric + "), within the top "
        + candidates + " of " + rungResults + " results, cut-off " + cutoffMetric;
  }
}
