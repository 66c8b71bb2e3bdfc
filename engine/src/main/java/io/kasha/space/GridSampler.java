package io.kasha.space;

import io.kasha.schemas.ParamSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Every combination of the parameters' grid values, in mixed-radix order with the last parameter
 * varying fastest. A FLOAT range gives {@code gridPoints} evenly spaced values (log-spaced on a log
 * scale), bounds included; an INT range gives those values rounded, or every integer when
 * {@code gridPoints} is not set; a CATEGORICAL parameter gives its choices. Duplicates are dropped.
 *
 * <p>With conditional parameters, combinations that differ only in inactive parameters are one
 * configuration: the distinct active configurations are listed once, in the same order, with the
 * inactive parameters left out. The validator bounds that list at {@link StudyValidator#MAX_CONDITIONAL_GRID}.
 */
public final class GridSampler implements Sampler {

  private final List<String> names = new ArrayList<>();
  private final List<List<Object>> axes = new ArrayList<>();
  private final long size;
  /** The distinct active configurations when some parameter is conditional, else null. */
  private final List<Map<String, Object>> conditional;

  /** @throws IllegalArgumentException if a FLOAT range has no gridPoints or the grid holds more than Long.MAX_VALUE points */
  public GridSampler(final List<ParamSpec> params) {
    long combinations = 1;
    for (final ParamSpec param : params) {
      final List<Object> axis = axis(param);
      names.add(param.getName());
      axes.add(axis);
      combinations = Math.multiplyExact(combinations, axis.size());
    }
    final SearchSpace space = new SearchSpace(params);
    if (space.hasConditions()) {
      final LinkedHashSet<Map<String, Object>> distinct = new LinkedHashSet<>();
      for (long i = 0; i < combinations; i++) {
        distinct.add(space.activeOnly(combination(i)));
      }
      this.conditional = List.copyOf(distinct);
      this.size = distinct.size();
    } else {
      this.conditional = null;
      this.size = combinations;
    }
  }

  /** @throws IndexOutOfBoundsException unless {@code 0 <= index < size()} */
  @Override
  public Map<String, Object> sample(final long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("grid index " + index + " is outside 0.." + (size - 1));
    }
    return conditional == null ? combination(index) : conditional.get((int) index);
  }

  private Map<String, Object> combination(final long index) {
    final Object[] values = new Object[axes.size()];
    long rest = index;
    for (int i = axes.size() - 1; i >= 0; i--) {
      final List<Object> axis = axes.get(i);
      values[i] = axis.get((int) (rest % axis.size()));
      rest /= axis.size();
    }
    final Map<String, Object> configuration = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      configuration.put(names.get(i), values[i]);
    }
    return Collections.unmodifiableMap(configuration);
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.of(size);
  }

  private static List<Object> axis(final ParamSpec param) {
    final LinkedHashSet<Object> values = new LinkedHashSet<>();
    switch (param.getType()) {
      case FLOAT -> {
        if (param.getGridPoints() == null) {
          throw new IllegalArgumentException("FLOAT parameter '" + param.getName() + "' needs gridPoints");
        }
        for (final double point : points(param)) {
          values.add(point);
        }
      }
      case INT -> {
        if (param.getGridPoints() == null) {
          for (long v = param.getLow().longValue(); v <= param.getHigh().longValue(); v++) {
            values.add(v);
          }
        } else {
          for (final double point : points(param)) {
            values.add(Math.round(point));
          }
        }
      }
      case CATEGORICAL -> values.addAll(param.getChoices());
    }
    return List.copyOf(values);
  }

  /** {@code gridPoints} values from low to high, both included, evenly spaced (in log space if log). */
  private static double[] points(final ParamSpec param) {
    final int count = param.getGridPoints();
    final double low = param.getLow();
    final double high = param.getHigh();
    final double[] points = new double[count];
    for (int i = 0; i < count; i++) {
      final double t = count == 1 ? 0 : (double) i / (count - 1);
      points[i] = param.getLog()
          ? Math.exp(Math.log(low) * (1 - t) + Math.log(high) * t)
          : low * (1 - t) + high * t;
    }
    if (count > 1) {
      points[count - 1] = high;
    }
    points[0] = low;
    return points;
  }
}
