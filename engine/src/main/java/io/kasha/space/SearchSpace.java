package io.kasha.space;

import io.kasha.schemas.ParamCondition;
import io.kasha.schemas.ParamSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's parameters with their conditions, and the unit-cube view that the Sobol, TPE and
 * evolution searchers work in. A parameter with {@code activeWhen} is active only while its parent
 * is active and has one of the listed values; an inactive parameter is absent from a configuration.
 *
 * <p>The unit view maps u in [0, 1] to a value: linearly (or log-linearly) over a FLOAT range; over
 * [low - 0.5, high + 0.5] then rounded for an INT range, so each integer gets its share; to choice
 * {@code floor(u * k)} of k choices. {@link #toUnit} is its inverse up to rounding (the centre of an
 * integer's or a choice's cell).
 */
public final class SearchSpace {

  private final List<ParamSpec> params;

  public SearchSpace(final List<ParamSpec> params) {
    this.params = List.copyOf(params);
  }

  public List<ParamSpec> params() {
    return params;
  }

  public boolean hasConditions() {
    return params.stream().anyMatch(p -> p.getActiveWhen() != null);
  }

  /**
   * The active parameters of {@code values}, in the spec's order, with their values; inactive and
   * unknown names are dropped. Parameters are looked at in order, so a child sees its parent's fate.
   */
  public Map<String, Object> activeOnly(final Map<String, Object> values) {
    final Map<String, Object> active = new LinkedHashMap<>();
    for (final ParamSpec param : params) {
      if (values.containsKey(param.getName()) && isActive(param, active)) {
        active.put(param.getName(), values.get(param.getName()));
      }
    }
    return Collections.unmodifiableMap(active);
  }

  /** True if param's condition holds given the values of the parameters decided so far. */
  public static boolean isActive(final ParamSpec param, final Map<String, Object> decided) {
    final ParamCondition condition = param.getActiveWhen();
    if (condition == null) {
      return true;
    }
    final Object parent = decided.get(condition.getParent());
    return parent != null && condition.getValues().stream().anyMatch(v -> Values.same(v, parent));
  }

  /** The value at unit coordinate u (clamped to [0, 1]). */
  public static Object fromUnit(final ParamSpec param, final double u) {
    final double t = Math.max(0.0, Math.min(1.0, u));
    return switch (param.getType()) {
      case FLOAT -> {
        final double low = param.getLow();
        final double high = param.getHigh();
        final double value = param.getLog()
            ? Math.exp(between(Math.log(low), Math.log(high), t))
            : between(low, high, t);
        yield Math.max(low, Math.min(high, value));
      }
      case INT -> {
        final long low = param.getLow().longValue();
        final long high = param.getHigh().longValue();
        final double raw = param.getLog()
            ? Math.exp(between(Math.log(low - 0.5), Math.log(high + 0.5), t))
            : between(low - 0.5, high + 0.5, t);
        yield Math.max(low, Math.min(high, Math.round(raw)));
      }
      case CATEGORICAL -> param.getChoices().get((int) Math.min(param.getChoices().size() - 1,
          Math.floor(t * param.getChoices().size())));
    };
  }

  /** The unit coordinate of a value of param: where {@link #fromUnit} gives it back. */
  public static double toUnit(final ParamSpec param, final Object value) {
    return switch (param.getType()) {
      case FLOAT -> {
        final double v = ((Number) value).doubleValue();
        yield param.getLog()
            ? fraction(Math.log(param.getLow()), Math.log(param.getHigh()), Math.log(v))
            : fraction(param.getLow(), param.getHigh(), v);
      }
      case INT -> {
        final double v = ((Number) value).doubleValue();
        final double low = param.getLow() - 0.5;
        final double high = param.getHigh() + 0.5;
        yield param.getLog() ? fraction(Math.log(low), Math.log(high), Math.log(v)) : fraction(low, high, v);
      }
      case CATEGORICAL -> (choiceIndex(param, value) + 0.5) / param.getChoices().size();
    };
  }

  /** Index of value among param's choices, or -1. */
  static int choiceIndex(final ParamSpec param, final Object value) {
    final List<Object> choices = param.getChoices();
    for (int i = 0; i < choices.size(); i++) {
      if (Values.same(choices.get(i), value)) {
        return i;
      }
    }
    return -1;
  }

  private static double between(final double low, final double high, final double t) {
    return low * (1 - t) + high * t;
  }

  private static double fraction(final double low, final double high, final double v) {
    return high == low ? 0.5 : Math.max(0.0, Math.min(1.0, (v - low) / (high - low)));
  }
}
