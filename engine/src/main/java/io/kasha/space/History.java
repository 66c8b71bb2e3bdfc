package io.kasha.space;

import java.util.List;

/**
 * The results of a study so far, one {@link Observation} per trial and rung, ordered by trial index
 * then rung. Partial by nature: trials still running have results only for their lower rungs.
 */
public record History(List<Observation> results) {

  public static final History EMPTY = new History(List.of());

  public History {
    results = List.copyOf(results);
  }

  /** The results of one rung, in trial order. */
  public List<Observation> rung(final int rung) {
    return results.stream().filter(o -> o.rung() == rung).toList();
  }

  /** The highest rung with at least {@code minimum} results, or -1 if none has. */
  public int highestRungWith(final int minimum) {
    final int top = results.stream().mapToInt(Observation::rung).max().orElse(-1);
    for (int rung = top; rung >= 0; rung--) {
      if (rung(rung).size() >= minimum) {
        return rung;
      }
    }
    return -1;
  }
}
