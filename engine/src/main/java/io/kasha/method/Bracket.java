package io.kasha.method;

import java.util.ArrayList;
import java.util.List;

/**
 * One bracket of synchronous successive halving: {@code configurations.get(i)} configurations are
 * trained to {@code resources.get(i)}, and when all of them are done the best
 * {@code floor(n_i / eta)} continue to the next resource. Its rungs are the top {@code s + 1} rungs of
 * {@code RungSchedule.of(minResource, maxResource, eta, 0)}, so a bracket's jobs use the same rungs,
 * checkpoints and resources as ASHA's. Used by the simulator for synchronous SHA, Hyperband and random
 * search, and meant for the scheduler's synchronous methods.
 *
 * <p>Hyperband's brackets for R = 81, eta = 3 (Li et al., JMLR 2018, Table 1), as {@code n_i / r_i}:
 * <pre>
 *   s = 4   81/1  27/3  9/9  3/27  1/81
 *   s = 3         34/3 11/9  3/27  1/81
 *   s = 2               15/9  5/27  1/81
 *   s = 1                     8/27  2/81
 *   s = 0                           5/81
 * </pre>
 * A count may reach 0 when a bracket starts fewer than {@code eta^s} configurations: the bracket then
 * ends at its last rung with a non-zero count.
 *
 * @param s the number of halvings, Li et al.'s bracket index
 * @param resources the resource of each of the bracket's {@code s + 1} rungs, increasing
 * @param configurations how many configurations each rung trains, {@code n_0} first
 */
public record Bracket(int s, List<Long> resources, List<Long> configurations) {

  public Bracket {
    resources = List.copyOf(resources);
    configurations = List.copyOf(configurations);
    if (resources.size() != s + 1 || configurations.size() != s + 1) {
      throw new IllegalArgumentException("bracket " + s + " needs " + (s + 1) + " resources and configuration counts");
    }
  }

  /**
   * The brackets of one Hyperband iteration (Li et al., JMLR 2018, Algorithm 1), s = s_max down to 0,
   * where s_max is the top rung's index: bracket s starts
   * {@code n = ceil((s_max + 1) / (s + 1) * eta^s)} configurations at the rung s_max - s, and rung i of
   * it holds {@code floor(n * eta^-i)}. When {@code maxResource / minResource} is a power of eta this
   * is the paper's table, with {@code r_i = maxResource * eta^(i - s)}; otherwise the last rung is
   * shorter, as in every schedule of the scheduler.
   */
  public static List<Bracket> hyperband(final long minResource, final long maxResource, final int eta) {
    final List<Long> rungs = RungSchedule.of(minResource, maxResource, eta, 0).resources();
    final int sMax = rungs.size() - 1;
    final List<Bracket> brackets = new ArrayList<>();
    for (int s = sMax; s >= 0; s--) {
      // saturated: a ratio of resources so large that n passes 2^63 - 1 has a bracket no trial budget fills
      final long scaled = saturatedProduct(sMax + 1L, power(eta, s));
      final long n = scaled / (s + 1) + (scaled % (s + 1) == 0 ? 0 : 1);
      brackets.add(halving(s, n, rungs.subList(sMax - s, rungs.size()), eta));
    }
    return List.copyOf(brackets);
  }

  /** One bracket over every rung, starting {@code n} configurations at {@code minResource}. */
  public static Bracket successiveHalving(
      final long n, final long minResource, final long maxResource, final int eta) {
    final List<Long> rungs = RungSchedule.of(minResource, maxResource, eta, 0).resources();
    return halving(rungs.size() - 1, n, rungs, eta);
  }

  /** {@code n} configurations trained straight to {@code maxResource}. */
  public static Bracket randomSearch(final long n, final long maxResource) {
    return new Bracket(0, List.of(maxResource), List.of(n));
  }

  /** The number of configurations the bracket starts. */
  public long n() {
    return configurations.get(0);
  }

  private static Bracket halving(final int s, final long n, final List<Long> resources, final int eta) {
    final List<Long> counts = new ArrayList<>();
    long count = n;
    for (int i = 0; i <= s; i++) {
      counts.add(count);
      count /= eta;
    }
    return new Bracket(s, resources, counts);
  }

  /** {@code base^exponent}, or {@link Long#MAX_VALUE} if it is larger. */
  private static long power(final long base, final int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      result = saturatedProduct(result, base);
    }
    return result;
  }

  /** {@code a * b} for {@code a, b >= 0}, or {@link Long#MAX_VALUE} if it is larger. */
  private static long saturatedProduct(final long a, final long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
