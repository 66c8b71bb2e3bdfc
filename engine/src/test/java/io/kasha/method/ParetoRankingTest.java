package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ParetoRankingTest {

  @Test
  void dominationNeedsNoWorseEverywhereAndBetterSomewhere() {
    assertThat(ParetoRanking.dominates(new double[] {1, 2}, new double[] {1, 3})).isTrue();
    assertThat(ParetoRanking.dominates(new double[] {1, 2}, new double[] {1, 2})).isFalse();
    assertThat(ParetoRanking.dominates(new double[] {0, 3}, new double[] {1, 2})).isFalse();
    assertThat(ParetoRanking.dominates(new double[] {1, 2}, new double[] {1, Double.POSITIVE_INFINITY})).isTrue();
  }

  @Test
  void frontsAgreeWithPeelingNonDominatedPointsOnRandomPoints() {
    final Random random = new Random(17);
    for (int round = 0; round < 200; round++) {
      final int n = 1 + random.nextInt(40);
      final int m = 2 + random.nextInt(3);
      final double[][] points = new double[n][m];
      for (final double[] point : points) {
        for (int j = 0; j < m; j++) {
          point[j] = random.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : random.nextInt(6);
        }
      }
      assertThat(ParetoRanking.fronts(points)).as("round %d", round).containsExactly(peeledFronts(points));
    }
  }

  @Test
  void crowdingGivesExtremesInfinityAndInnerPointsTheirNormalisedGaps() {
    // given one front (1, 5), (2, 2), (5, 1) and a dominated (3, 3)
    final double[][] points = {{1, 5}, {2, 2}, {5, 1}, {3, 3}};
    final int[] fronts = ParetoRanking.fronts(points);
    assertThat(fronts).containsExactly(0, 0, 0, 1);
    // then b's distance is (5 - 1) / 4 + (5 - 1) / 4, and a single-point front is an extreme
    assertThat(ParetoRanking.crowding(points, fronts))
        .containsExactly(Double.POSITIVE_INFINITY, 2.0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  @Test
  void ordersByFrontThenTieBreakThenArrival() {
    final double[][] points = {{4, 4}, {1, 5}, {2, 2}, {5, 1}, {3, 3}};
    assertThat(ParetoRanking.order(points, TieBreak.CROWDING_DISTANCE, new double[0]))
        .containsExactly(1, 3, 2, 4, 0);
    assertThat(ParetoRanking.order(points, TieBreak.WEIGHTED_SUM, new double[] {1, 1}))
        .containsExactly(2, 1, 3, 4, 0);
    assertThat(ParetoRanking.order(points, TieBreak.WEIGHTED_SUM, new double[] {0, 1}))
        .containsExactly(3, 2, 1, 4, 0);
  }

  /** Front k holds the points not dominated by any point outside fronts 0..k-1, found by brute force. */
  private static int[] peeledFronts(final double[][] points) {
    final int[] front = new int[points.length];
    java.util.Arrays.fill(front, -1);
    int assigned = 0;
    for (int rank = 0; assigned < points.length; rank++) {
      final boolean[] inThisFront = new boolean[points.length];
      for (int i = 0; i < points.length; i++) {
        if (front[i] >= 0) {
          continue;
        }
        boolean dominated = false;
        for (int j = 0; j < points.length && !dominated; j++) {
          dominated = front[j] < 0 && j != i && ParetoRanking.dominates(points[j], points[i]);
        }
        inThisFront[i] = !dominated;
      }
      for (int i = 0; i < points.length; i++) {
        if (inThisFront[i]) {
          front[i] = rank;
          assigned++;
        }
      }
    }
    return front;
  }
}
