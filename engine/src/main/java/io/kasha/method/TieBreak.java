package io.kasha.method;

/**
 * How {@link MultiObjectiveAsha} orders results within one non-dominated front. The study-file knob
 * is {@code tie_break}, default {@code crowding_distance}; a remaining tie goes to the earlier result.
 */
public enum TieBreak {

  /** NSGA-II's crowding distance, larger first: the front's extremes, then the most isolated results. */
  CROWDING_DISTANCE,

  /** The weighted sum of the objectives, each turned to "smaller is better", smaller first ({@code weights}). */
  WEIGHTED_SUM
}
