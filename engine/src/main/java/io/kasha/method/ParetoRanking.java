package io.kasha.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Non-dominated sorting and crowding distance (Deb et al., "A Fast and Elitist Multiobjective Genetic
 * Algorithm: NSGA-II", 2002) over points whose every coordinate is to be minimised (see
 * {@link Objective#folded}). Point i is given by row i; the row order is the arrival order, which
 * breaks the last ties.
 */
public final class ParetoRanking {

  private ParetoRanking() {}

  /** True if a is no worse than b in every coordinate and better in one. */
  public static boolean dominates(final double[] a, final double[] b) {
    boolean better = false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
      better |= a[i] < b[i];
    }
    return better;
  }

  /** The front of every point: 0 for the non-dominated ones, 1 for those dominated only by front 0, and so on. */
  public static int[] fronts(final double[][] points) {
    final int n = points.length;
    final int[] dominatedBy = new int[n];
    final List<List<Integer>> dominates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dominates.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (dominates(points[i], points[j])) {
          dominates.get(i).add(j);
          dominatedBy[j]++;
        } else if (dominates(points[j], points[i])) {
          dominates.get(j).add(i);
          dominatedBy[i]++;
        }
      }
    }
    final int[] front = new int[n];
    List<Integer> current = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (dominatedBy[i] == 0) {
        current.add(i);
      }
    }
    for (int rank = 0; !current.isEmpty(); rank++) {
      final List<Integer> next = new ArrayList<>();
      for (final int i : current) {
        front[i] = rank;
        for (final int j : dominates.get(i)) {
          if (--dominatedBy[j] == 0) {
            next.add(j);
          }
        }
      }
      current = next;
    }
    return front;
  }

  /**
   * The crowding distance of every point within its front: +infinity at a front's extremes in any
   * coordinate, otherwise the sum over coordinates of the gap between its neighbours divided by the
   * front's range. A coordinate whose range is zero or not finite adds nothing to inner points.
   */
  public static double[] crowding(final double[][] points, final int[] fronts) {
    final double[] distance = new double[points.length];
    final int frontCount = Arrays.stream(fronts).max().orElse(-1) + 1;
    for (int f = 0; f < frontCount; f++) {
      final int rank = f;
      final Integer[] members = IntStream.range(0, points.length)
          .filter(i -> fronts[i] == rank).boxed().toArray(Integer[]::new);
      for (int m = 0; points.length > 0 && m < points[0].length; m++) {
        final int coordinate = m;
        final Integer[] sorted = members.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(i -> points[i][coordinate]));
        final double range = points[sorted[sorted.length - 1]][m] - points[sorted[0]][m];
        distance[sorted[0]] = Double.POSITIVE_INFINITY;
        distance[sorted[sorted.length - 1]] = Double.POSITIVE_INFINITY;
        for (int k = 1; k < sorted.length - 1 && range > 0 && Double.isFinite(range); k++) {
          final double gap = points[sorted[k + 1]][m] - points[sorted[k - 1]][m];
          distance[sorted[k]] += Double.isFinite(gap) ? gap / range : 0;
        }
      }
    }
    return distance;
  }

  /**
   * The points best first: by front, then by the tie-break, then by row (arrival).
   *
   * @param weights one weight per coordinate, used by {@link TieBreak#WEIGHTED_SUM}
   */
  public static int[] order(final double[][] points, final TieBreak tieBreak, final double[] weights) {
    final int[] fronts = fronts(points);
    final double[] key = new double[points.length];
    if (tieBreak == TieBreak.CROWDING_DISTANCE) {
      final double[] crowding = crowding(points, fronts);
      for (int i = 0; i < points.length; i++) {
        key[i] = -crowding[i];
      }
    } else {
      for (int i = 0; i < points.length; i++) {
        for (int m = 0; m < weights.length; m++) {
          key[i] += weights[m] * points[i][m];
        }
        key[i] = Double.isNaN(key[i]) ? Double.POSITIVE_INFINITY : key[i];
      }
    }
    return IntStream.range(0, points.length).boxed()
        .sorted(Comparator.<Integer>comparingInt(i -> fronts[i])
            .thenComparingDouble(i -> key[i])
            .thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }
}
