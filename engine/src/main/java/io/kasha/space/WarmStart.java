package io.kasha.space;

import io.kasha.schemas.ParamSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Warm start: trials 0 .. k-1 take the study's k {@code pointsToEvaluate} in order; trial k + i
 * takes the wrapped searcher's suggestion i. Points are validated by {@link StudyValidator}; here
 * their values are brought to the parameters' types (Double for FLOAT, Long for INT).
 */
final class WarmStart implements Searcher {

  private final List<Map<String, Object>> points = new ArrayList<>();
  private final Searcher then;

  WarmStart(final SearchSpace space, final List<Map<String, Object>> points, final Searcher then) {
    for (final Map<String, Object> point : points) {
      final Map<String, Object> typed = new LinkedHashMap<>();
      for (final ParamSpec param : space.params()) {
        if (point.containsKey(param.getName())) {
          typed.put(param.getName(), Values.canonical(param, point.get(param.getName())).orElseThrow());
        }
      }
      this.points.add(space.activeOnly(typed));
    }
    this.then = then;
  }

  @Override
  public Suggestion suggest(final long index, final History history) {
    if (index < points.size()) {
      return new Suggestion(points.get((int) index),
          "warm-start point " + (index + 1) + " of " + points.size());
    }
    return then.suggest(index - points.size(), history);
  }

  @Override
  public boolean usesHistory() {
    return then.usesHistory();
  }

  @Override
  public OptionalLong size() {
    final OptionalLong rest = then.size();
    return rest.isPresent() ? OptionalLong.of(rest.getAsLong() + points.size()) : rest;
  }
}
