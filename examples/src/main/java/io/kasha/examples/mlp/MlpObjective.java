package io.kasha.examples.mlp;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The quickstart objective: a two-layer network ({@link Mlp}) learning the {@link SpiralDataset}
 * with {@link Sgd}. One unit of resource is one epoch over the 2,000 training points; after each
 * epoch it reports {@code val_loss} (mean cross-entropy) and {@code val_accuracy} on the 500
 * validation points.
 *
 * <p>Parameters: {@code learning_rate}, {@code momentum}, {@code weight_decay} (required numbers),
 * {@code hidden} (units in the hidden layer, default 32) and {@code batch_size} (default 32).
 *
 * <p>Runs are deterministic: initial weights and the shuffle of every epoch come from fixed seeds,
 * so equal parameters give equal curves, and a run resumed from a checkpoint at epoch 3 reports
 * exactly what an uninterrupted run reports. A segment without a checkpoint that starts past epoch
 * 0 replays the earlier epochs silently.
 *
 * <p>A run whose loss becomes infinite or NaN has diverged: it reports NaN for both metrics at that
 * epoch and at {@code resourceTo} (further training cannot bring it back), writes its checkpoint as
 * at {@code resourceTo}, and returns.
 */
public final class MlpObjective implements Objective {

  public static final String NAME = "quickstart-mlp";
  public static final String VAL_LOSS = "val_loss";

  private static final long INITIAL_WEIGHTS_SEED = 42L;
  private static final long SHUFFLE_SEED = 7L;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(final TrialContext context) throws IOException {
    final Settings settings = Settings.from(context.params());
    final MlpCheckpoint start = startingPoint(context, settings);
    final Mlp model = start.model();
    final SpiralDataset training = SpiralDataset.training();
    final SpiralDataset validation = SpiralDataset.validation();

    long epoch = start.epoch();
    while (epoch < context.resourceTo()) {
      epoch++;
      final double trainingLoss = trainEpoch(model, training, epoch, settings, context::cancelled);
      if (context.cancelled()) {
        return;
      }
      if (epoch <= context.resourceFrom()) {
        continue;
      }
      final Mlp.Evaluation evaluation = model.evaluate(validation);
      if (!Double.isFinite(trainingLoss) || !Double.isFinite(evaluation.loss())) {
        reportDiverged(context, epoch);
        epoch = context.resourceTo();
        break;
      }
      context.report(epoch, metrics(evaluation.loss(), evaluation.accuracy()));
    }
    new MlpCheckpoint(epoch, model).writeTo(context.checkpointOut());
  }

  private static MlpCheckpoint startingPoint(final TrialContext context, final Settings settings)
      throws IOException {
    if (context.checkpointIn().isEmpty()) {
      return new MlpCheckpoint(0, freshModel(settings));
    }
    final MlpCheckpoint checkpoint = MlpCheckpoint.readFrom(context.checkpointIn().get());
    if (checkpoint.epoch() > context.resourceFrom()) {
      throw new IllegalStateException(
          "checkpoint is at epoch "
              + checkpoint.epoch()
              + ", past the segment's start "
              + context.resourceFrom());
    }
    if (checkpoint.model().hidden() != settings.hidden()) {
      throw new IllegalStateException(
          "checkpoint has "
              + checkpoint.model().hidden()
              + " hidden units, parameters ask for "
              + settings.hidden());
    }
    return checkpoint;
  }

  /** The untrained network every run starts from: the same for the same number of hidden units. */
  static Mlp freshModel(final Settings settings) {
    return Mlp.initialise(
        SpiralDataset.DIMENSIONS, settings.hidden(), SpiralDataset.CLASSES, INITIAL_WEIGHTS_SEED);
  }

  /**
   * Trains one epoch over the training points in an order fixed by the epoch number.
   *
   * @return the mean training loss; not finite as soon as one batch diverges, and meaningless when
   *     the runner cancelled the segment meanwhile
   */
  static double trainEpoch(
      final Mlp model,
      final SpiralDataset data,
      final long epoch,
      final Settings settings,
      final BooleanSupplier cancelled) {
    final int[] order = shuffledIndexes(data.size(), new Random(SHUFFLE_SEED * 1_000_003L + epoch));
    double lossSum = 0.0;
    int batches = 0;
    for (int from = 0; from < order.length; from += settings.batchSize()) {
      if (cancelled.getAsBoolean()) {
        return Double.NaN;
      }
      final int to = Math.min(from + settings.batchSize(), order.length);
      final double loss = model.trainBatch(data, order, from, to, settings.sgd());
      if (!Double.isFinite(loss)) {
        return loss;
      }
      lossSum += loss;
      batches++;
    }
    return lossSum / batches;
  }

  private static void reportDiverged(final TrialContext context, final long epoch) {
    context.report(epoch, metrics(Double.NaN, Double.NaN));
    if (epoch < context.resourceTo()) {
      context.report(context.resourceTo(), metrics(Double.NaN, Double.NaN));
    }
  }

  private static Map<String, Double> metrics(final double loss, final double accuracy) {
    return Map.of(VAL_LOSS, loss, "val_accuracy", accuracy);
  }

  private static int[] shuffledIndexes(final int size, final Random random) {
    final int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      final int j = random.nextInt(i + 1);
      final int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /** The trial's parameters, checked once. */
  record Settings(Sgd sgd, int hidden, int batchSize) {

    static Settings from(final Map<String, Object> params) {
      final double learningRate = number(params, "learning_rate", null).doubleValue();
      final double momentum = number(params, "momentum", null).doubleValue();
      final double weightDecay = number(params, "weight_decay", null).doubleValue();
      final long hidden = number(params, "hidden", 32L).longValue();
      final long batchSize = number(params, "batch_size", 32L).longValue();
      if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException(
            "need learning_rate > 0, 0 <= momentum < 1 and weight_decay >= 0, got " + params);
      }
      if (hidden < 1 || hidden > 4096 || batchSize < 1 || batchSize > 2_000) {
        throw new IllegalArgumentException(
            "need 1 <= hidden <= 4096 and 1 <= batch_size <= 2000, got " + params);
      }
      return new Settings(
          new Sgd(learningRate, momentum, weightDecay), (int) hidden, (int) batchSize);
    }

    private static Number number(
        final Map<String, Object> params, final String name, final Number fallback) {
      final Object value = params.get(name);
      if (value == null && fallback != null) {
        return fallback;
      }
      if (value instanceof Number number) {
        return number;
      }
      throw new IllegalArgumentException(
          "parameter " + name + " must be a number, got " + (value == null ? "nothing" : value));
    }
  }
}
