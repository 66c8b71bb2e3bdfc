package io.kasha.method;

/**
 * A promotion inside one bracket of {@link AsyncHyperband}: continue the trial from
 * {@code fromResource} to {@code toResource}.
 */
public record BracketPromotion(int bracket, AshaPromotion promotion, long fromResource, long toResource) {

  public String trialId() {
    return promotion.trialId();
  }

  /** For example "bracket 1: best not-yet-promoted result of rung 0 (0.2), ... (resource 3 to 9)". */
  public String reason() {
    return "bracket " + bracket + ": " + promotion.reason() + " (resource " + fromResource + " to " + toResource + ")";
  }
}
