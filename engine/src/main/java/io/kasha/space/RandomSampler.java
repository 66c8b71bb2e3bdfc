package io.kasha.space;

import io.kasha.schemas.ParamSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Independent uniform draws: each index gets its own generator seeded from (seed, index). FLOAT and
 * INT ranges include both bounds; on a log scale values are uniform in log space.
 */
public final class RandomSampler implements Sampler {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final List<ParamSpec> params;
  private final long seed;

  public RandomSampler(final List<ParamSpec> params, final long seed) {
    this.params = List.copyOf(params);
    this.seed = seed;
  }

  @Override
  public Map<String, Object> sample(final long index) {
    final SplittableRandom random = new SplittableRandom(mix(seed + mix(index + GOLDEN_GAMMA)));
    final Map<String, Object> values = new LinkedHashMap<>();
    for (final ParamSpec param : params) {
      values.put(param.getName(), draw(param, random));
    }
    return Collections.unmodifiableMap(values);
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.empty();
  }

  /** One uniform draw of param: the value type of {@link #sample}. */
  static Object draw(final ParamSpec param, final SplittableRandom random) {
    return switch (param.getType()) {
      case FLOAT -> drawFloat(param.getLow(), param.getHigh(), param.getLog(), random);
      case INT -> drawInt(param.getLow().longValue(), param.getHigh().longValue(), param.getLog(), random);
      case CATEGORICAL -> param.getChoices().get(random.nextInt(param.getChoices().size()));
    };
  }

  private static double drawFloat(
      final double low, final double high, final boolean log, final SplittableRandom random) {
    final double u = random.nextDouble();
    final double value = log
        ? Math.exp(between(Math.log(low), Math.log(high), u))
        : between(low, high, u);
    return clamp(value, low, high);
  }

  /** On a log scale, uniform in log space over [low - 0.5, high + 0.5], then rounded: each integer gets its share. */
  private static long drawInt(final long low, final long high, final boolean log, final SplittableRandom random) {
    if (!log) {
      return random.nextLong(low, high + 1);
    }
    final double u = random.nextDouble();
    final long value = Math.round(Math.exp(between(Math.log(low - 0.5), Math.log(high + 0.5), u)));
    return Math.max(low, Math.min(high, value));
  }

  private static double between(final double low, final double high, final double u) {
    return low * (1 - u) + high * u;
  }

  private static double clamp(final double value, final double low, final double high) {
    return Math.max(low, Math.min(high, value));
  }

  /** The finaliser of SplitMix64: spreads nearby inputs over the whole range. */
  static long mix(final long z) {
    long x = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }
}
