package io.kasha.examples.mlp;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The quickstart network as a benchmark function, named {@value #NAME}: its loss at resource {@code r} is
 * the validation loss ({@code val_loss}) that {@link MlpObjective} reports after {@code r} epochs, from
 * the same network really trained (hidden 32, batch size 32), so a simulated study sees the very curves a
 * real {@code quickstart-mlp} study does. A run that diverges has loss NaN, as the objective reports.
 *
 * <p>Search space: {@code learning_rate} in [0.001, 0.1] and {@code weight_decay} in [0.0001, 0.01], both
 * on a log scale, and {@code momentum} in [0.85, 0.95]: the ranges of the quickstart's grid. Resources 1
 * to 27 epochs, as in the quickstart study. Training is deterministic, so the loss has no noise and does
 * not depend on the maximum resource.
 *
 * <p>The optimum is not known in closed form: {@link #optimum()} is the best 27-epoch validation loss of
 * the quickstart's 27-point grid, measured; a configuration off the grid may do slightly better, so its
 * regret can be negative.
 *
 * <p>Cost model, declared: {@value #SECONDS_PER_EPOCH} seconds per epoch, linear in the epochs, as for
 * a network that takes a minute an epoch. The real network trains an epoch in a few milliseconds; the
 * declared cost gives simulated studies the proportions of a real training job rather than those of
 * this toy.
 *
 * <p>Curves are computed on demand and kept for the last {@value #CACHED_CURVES} configurations, so the
 * rungs of one trial cost one training run. Safe for concurrent use.
 */
public final class MlpBenchmark implements BenchmarkFunction {

  public static final String NAME = "mlp";
  public static final double SECONDS_PER_EPOCH = 60.0;

  private static final double OPTIMUM = 0.010723313903511224;
  private static final int CACHED_CURVES = 4096;

  private final List<ParamSpec> params = List.of(
      range("learning_rate", 0.001, 0.1, true),
      range("momentum", 0.85, 0.95, false),
      range("weight_decay", 0.0001, 0.01, true));

  private final Map<List<Double>, double[]> curves = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(final Map.Entry<List<Double>, double[]> eldest) {
      return size() > CACHED_CURVES;
    }
  };

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<ParamSpec> params() {
    return params.stream().map(param -> ParamSpec.newBuilder(param).build()).toList();
  }

  @Override
  public long defaultMinResource() {
    return 1;
  }

  @Override
  public long defaultMaxResource() {
    return 27;
  }

  /** Noise-free: {@code rng} is not used. */
  @Override
  public double loss(final Map<String, Object> x, final long r, final long maxResource, final SplittableRandom rng) {
    return lossNoiseFree(x, r, maxResource);
  }

  @Override
  public double lossNoiseFree(final Map<String, Object> x, final long r, final long maxResource) {
    if (r < 1 || r > maxResource) {
      throw new IllegalArgumentException(
          "resource must be in 1.." + maxResource + " (the maximum resource), got " + r);
    }
    return curve(read(x), (int) r)[(int) r - 1];
  }

  @Override
  public double optimum() {
    return OPTIMUM;
  }

  @Override
  public double cost(final long r, final long maxResource) {
    if (r < 1 || r > maxResource) {
      throw new IllegalArgumentException(
          "resource must be in 1.." + maxResource + " (the maximum resource), got " + r);
    }
    return r * SECONDS_PER_EPOCH;
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** The validation losses after epochs 1 to at least {@code epochs}. */
  private double[] curve(final List<Double> point, final int epochs) {
    synchronized (curves) {
      final double[] cached = curves.get(point);
      if (cached != null && cached.length >= epochs) {
        return cached;
      }
    }
    final double[] computed = train(point, epochs);
    synchronized (curves) {
      curves.put(point, computed);
    }
    return computed;
  }

  private static double[] train(final List<Double> point, final int epochs) {
    final MlpObjective.Settings settings = MlpObjective.Settings.from(Map.of(
        "learning_rate", point.get(0), "momentum", point.get(1), "weight_decay", point.get(2)));
    final Mlp model = MlpObjective.freshModel(settings);
    final SpiralDataset training = SpiralDataset.training();
    final SpiralDataset validation = SpiralDataset.validation();
    final double[] losses = new double[epochs];
    boolean diverged = false;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      if (!diverged) {
        final double trainingLoss = MlpObjective.trainEpoch(model, training, epoch, settings, () -> false);
        final double validationLoss = model.evaluate(validation).loss();
        diverged = !Double.isFinite(trainingLoss) || !Double.isFinite(validationLoss);
        losses[epoch - 1] = diverged ? Double.NaN : validationLoss;
      } else {
        losses[epoch - 1] = Double.NaN;
      }
    }
    return losses;
  }

  /** The configuration's coordinates, in the order of {@link #params()}, checked against the ranges. */
  private List<Double> read(final Map<String, Object> x) {
    final List<Double> point = new ArrayList<>();
    for (final ParamSpec param : params) {
      final Object value = x.get(param.getName());
      if (!(value instanceof Number number)) {
        throw new IllegalArgumentException(
            "parameter " + param.getName() + " must be a number, got " + (value == null ? "nothing" : value));
      }
      final double v = number.doubleValue();
      if (!(v >= param.getLow() && v <= param.getHigh())) {
        throw new IllegalArgumentException("parameter " + param.getName() + " must be a number in ["
            + param.getLow() + ", " + param.getHigh() + "], got " + value);
      }
      point.add(v);
    }
    return List.copyOf(point);
  }

  private static ParamSpec range(final String name, final double low, final double high, final boolean log) {
    return ParamSpec.newBuilder()
        .setName(name).setType(ParamType.FLOAT).setLow(low).setHigh(high).setLog(log).build();
  }
}
