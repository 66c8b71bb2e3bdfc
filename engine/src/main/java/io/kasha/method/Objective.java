package io.kasha.method;

/** One metric of a multi-objective study and the way it improves. */
public record Objective(String metric, Direction direction) {

  /** The value turned so that smaller is always better; NaN and infinite values become +infinity, the worst. */
  public double folded(final double value) {
    return direction.lossOrWorst(value);
  }
}
