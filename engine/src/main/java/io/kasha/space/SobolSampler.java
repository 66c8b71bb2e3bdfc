package io.kasha.space;

import io.kasha.schemas.ParamSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Quasi-random configurations: point {@code index} of the Sobol sequence (Joe and Kuo's direction
 * numbers, from Apache Commons Math's {@link SobolSequenceGenerator}), one dimension per parameter,
 * mapped to the parameters through {@link SearchSpace#fromUnit}.
 *
 * <p>Scrambled by a random digital shift: each coordinate, as a 52-bit fixed-point number, is XORed
 * with a mask drawn once per dimension from the seed. The shift keeps the sequence's
 * (t, s)-net structure, so the points stay low-discrepancy, while different seeds give different
 * point sets and no point sits on the corner (0, ..., 0). A seed's masks are fixed, so the sampler
 * is stateless by index like the others. At most {@link #MAX_DIMENSIONS} parameters.
 */
public final class SobolSampler implements Sampler {

  /** The most dimensions the bundled direction numbers cover. */
  public static final int MAX_DIMENSIONS = 1000;

  private static final int BITS = 52;
  private static final double SCALE = 0x1p52;
  private static final long MASK = (1L << BITS) - 1;

  private final List<ParamSpec> params;
  private final long[] shifts;
  private final SobolSequenceGenerator sequence;

  /** A scrambled sequence: the digital shift is drawn from seed. */
  public SobolSampler(final List<ParamSpec> params, final long seed) {
    this(params, shifts(params.size(), seed));
  }

  private SobolSampler(final List<ParamSpec> params, final long[] shifts) {
    this.params = List.copyOf(params);
    this.shifts = shifts;
    this.sequence = new SobolSequenceGenerator(params.size());
  }

  /** The plain (unscrambled) sequence, whose point 0 is the origin. */
  public static SobolSampler unscrambled(final List<ParamSpec> params) {
    return new SobolSampler(params, new long[params.size()]);
  }

  @Override
  public Map<String, Object> sample(final long index) {
    final double[] point = point(index);
    final Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      values.put(params.get(i).getName(), SearchSpace.fromUnit(params.get(i), point[i]));
    }
    return Collections.unmodifiableMap(values);
  }

  /** Point {@code index} in the unit cube, after the shift. */
  public double[] point(final long index) {
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw new IndexOutOfBoundsException("Sobol index " + index + " is outside 0.." + Integer.MAX_VALUE);
    }
    final double[] raw;
    synchronized (sequence) {
      raw = sequence.skipTo((int) index);
    }
    final double[] shifted = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      final long bits = (long) (raw[i] * SCALE) & MASK;
      shifted[i] = (bits ^ shifts[i]) / SCALE;
    }
    return shifted;
  }

  @Override
  public OptionalLong size() {
    return OptionalLong.empty();
  }

  private static long[] shifts(final int dimensions, final long seed) {
    final SplittableRandom random = new SplittableRandom(RandomSampler.mix(seed ^ 0x50B01L));
    final long[] masks = new long[dimensions];
    for (int i = 0; i < dimensions; i++) {
      masks[i] = random.nextLong() & MASK;
    }
    return masks;
  }
}
