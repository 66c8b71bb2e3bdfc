package io.kasha.space;

import io.kasha.schemas.ParamSpec;
import java.util.Optional;

/** Comparing and checking parameter values, which arrive as Boolean, Long, Integer, Double or String. */
public final class Values {

  private Values() {}

  /** Equal values, numbers compared by value (so 1, 1L and 1.0 are the same). */
  static boolean same(final Object a, final Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return a != null && a.equals(b);
  }

  /**
   * value as param holds it (Double for FLOAT, Long for INT, the choice itself for CATEGORICAL), or
   * empty if it is not one of param's values.
   */
  public static Optional<Object> canonical(final ParamSpec param, final Object value) {
    switch (param.getType()) {
      case FLOAT -> {
        if (value instanceof Number n && n.doubleValue() >= param.getLow() && n.doubleValue() <= param.getHigh()) {
          return Optional.of(n.doubleValue());
        }
      }
      case INT -> {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            && n.doubleValue() >= param.getLow() && n.doubleValue() <= param.getHigh()) {
          return Optional.of(n.longValue());
        }
      }
      case CATEGORICAL -> {
        final int index = SearchSpace.choiceIndex(param, value);
        if (index >= 0) {
          return Optional.of(param.getChoices().get(index));
        }
      }
    }
    return Optional.empty();
  }

  /** What param allows, for messages: "a number from 0.0 to 1.0", "one of [sgd, adam]". */
  public static String allowed(final ParamSpec param) {
    return switch (param.getType()) {
      case FLOAT -> "a number from " + param.getLow() + " to " + param.getHigh();
      case INT -> "a whole number from " + param.getLow().longValue() + " to " + param.getHigh().longValue();
      case CATEGORICAL -> "one of " + param.getChoices();
    };
  }
}
