package io.kasha.examples.mlp;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * A two-layer perceptron: inputs, one hidden layer of rectified linear units, and a softmax over
 * the classes, trained on cross-entropy. Weights are plain row-major {@code double} arrays; each
 * one has its momentum velocity beside it, so that {@link #writeTo} saves everything a resumed run
 * needs.
 *
 * <p>An instance belongs to one trial and is not thread-safe: it keeps its gradient and activation
 * buffers between calls.
 */
final class Mlp {

  /** Mean cross-entropy and the fraction of points whose most probable class is the right one. */
  record Evaluation(double loss, double accuracy) {}

  private static final long MAX_WEIGHTS = 1L << 24;

  private final int inputs;
  private final int hidden;
  private final int outputs;

  // Parameters (hidden x inputs, then outputs x hidden weights) and their velocities.
  private final double[] hiddenWeights;
  private final double[] hiddenBias;
  private final double[] outputWeights;
  private final double[] outputBias;
  private final double[] hiddenWeightsVelocity;
  private final double[] hiddenBiasVelocity;
  private final double[] outputWeightsVelocity;
  private final double[] outputBiasVelocity;

  // Buffers reused by every batch: gradient sums, then the last point's activations.
  private final double[] hiddenWeightsGradient;
  private final double[] hiddenBiasGradient;
  private final double[] outputWeightsGradient;
  private final double[] outputBiasGradient;
  private final double[] activations;
  private final double[] hiddenDelta;
  private final double[] logProbabilities;

  private Mlp(final int inputs, final int hidden, final int outputs) {
    this.inputs = inputs;
    this.hidden = hidden;
    this.outputs = outputs;
    hiddenWeights = new double[hidden * inputs];
    hiddenBias = new double[hidden];
    outputWeights = new double[outputs * hidden];
    outputBias = new double[outputs];
    hiddenWeightsVelocity = new double[hiddenWeights.length];
    hiddenBiasVelocity = new double[hidden];
    outputWeightsVelocity = new double[outputWeights.length];
    outputBiasVelocity = new double[outputs];
    hiddenWeightsGradient = new double[hiddenWeights.length];
    hiddenBiasGradient = new double[hidden];
    outputWeightsGradient = new double[outputWeights.length];
    outputBiasGradient = new double[outputs];
    activations = new double[hidden];
    hiddenDelta = new double[hidden];
    logProbabilities = new double[outputs];
  }

  /**
   * A fresh network: weights drawn from a normal distribution scaled to the layer's fan-in (He
   * initialisation for the rectified layer), biases and velocities zero. The same seed gives the
   * same network.
   */
  static Mlp initialise(final int inputs, final int hidden, final int outputs, final long seed) {
    final Mlp mlp = new Mlp(inputs, hidden, outputs);
    final Random random = new Random(seed);
    fillGaussian(mlp.hiddenWeights, Math.sqrt(2.0 / inputs), random);
    fillGaussian(mlp.outputWeights, Math.sqrt(1.0 / hidden), random);
    return mlp;
  }

  int hidden() {
    return hidden;
  }

  /**
   * One optimiser step on the points {@code order[from]} to {@code order[to - 1]}.
   *
   * @return the mean loss of the batch, measured before the step
   */
  double trainBatch(
      final SpiralDataset data, final int[] order, final int from, final int to, final Sgd sgd) {
    Arrays.fill(hiddenWeightsGradient, 0.0);
    Arrays.fill(hiddenBiasGradient, 0.0);
    Arrays.fill(outputWeightsGradient, 0.0);
    Arrays.fill(outputBiasGradient, 0.0);
    double lossSum = 0.0;
    for (int i = from; i < to; i++) {
      lossSum += accumulateGradient(data.row(order[i]), data.label(order[i]));
    }
    final int batchSize = to - from;
    sgd.step(hiddenWeights, hiddenWeightsVelocity, hiddenWeightsGradient, batchSize, true);
    sgd.step(hiddenBias, hiddenBiasVelocity, hiddenBiasGradient, batchSize, false);
    sgd.step(outputWeights, outputWeightsVelocity, outputWeightsGradient, batchSize, true);
    sgd.step(outputBias, outputBiasVelocity, outputBiasGradient, batchSize, false);
    return lossSum / batchSize;
  }

  Evaluation evaluate(final SpiralDataset data) {
    double lossSum = 0.0;
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      final int label = data.label(i);
      lossSum += forward(data.row(i), label);
      if (argmax(logProbabilities) == label) {
        correct++;
      }
    }
    return new Evaluation(lossSum / data.size(), (double) correct / data.size());
  }

  /** Fills the activation and log-softmax buffers; returns the cross-entropy for {@code label}. */
  private double forward(final double[] x, final int label) {
    for (int j = 0; j < hidden; j++) {
      double sum = hiddenBias[j];
      final int row = j * inputs;
      for (int k = 0; k < inputs; k++) {
        sum += hiddenWeights[row + k] * x[k];
      }
      activations[j] = Math.max(0.0, sum);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < outputs; c++) {
      double sum = outputBias[c];
      final int row = c * hidden;
      for (int j = 0; j < hidden; j++) {
        sum += outputWeights[row + j] * activations[j];
      }
      logProbabilities[c] = sum;
      max = Math.max(max, sum);
    }
    double partition = 0.0;
    for (int c = 0; c < outputs; c++) {
      partition += Math.exp(logProbabilities[c] - max);
    }
    final double logPartition = max + Math.log(partition);
    for (int c = 0; c < outputs; c++) {
      logProbabilities[c] -= logPartition;
    }
    return -logProbabilities[label];
  }

  /** Adds one point's gradient to the gradient buffers; returns its loss. */
  private double accumulateGradient(final double[] x, final int label) {
    final double loss = forward(x, label);
    Arrays.fill(hiddenDelta, 0.0);
    for (int c = 0; c < outputs; c++) {
      final double delta = Math.exp(logProbabilities[c]) - (c == label ? 1.0 : 0.0);
      outputBiasGradient[c] += delta;
      final int row = c * hidden;
      for (int j = 0; j < hidden; j++) {
        outputWeightsGradient[row + j] += delta * activations[j];
        hiddenDelta[j] += delta * outputWeights[row + j];
      }
    }
    for (int j = 0; j < hidden; j++) {
      if (activations[j] <= 0.0) {
        continue;
      }
      final double delta = hiddenDelta[j];
      hiddenBiasGradient[j] += delta;
      final int row = j * inputs;
      for (int k = 0; k < inputs; k++) {
        hiddenWeightsGradient[row + k] += delta * x[k];
      }
    }
    return loss;
  }

  void writeTo(final DataOutput out) throws IOException {
    out.writeInt(inputs);
    out.writeInt(hidden);
    out.writeInt(outputs);
    for (final double[] array : state()) {
      for (final double value : array) {
        out.writeDouble(value);
      }
    }
  }

  static Mlp readFrom(final DataInput in) throws IOException {
    final int inputs = in.readInt();
    final int hidden = in.readInt();
    final int outputs = in.readInt();
    if (inputs < 1
        || hidden < 1
        || outputs < 1
        || (long) hidden * Math.max(inputs, outputs) > MAX_WEIGHTS) {
      throw new IOException(
          "implausible network shape " + inputs + " x " + hidden + " x " + outputs);
    }
    final Mlp mlp = new Mlp(inputs, hidden, outputs);
    for (final double[] array : mlp.state()) {
      for (int i = 0; i < array.length; i++) {
        array[i] = in.readDouble();
      }
    }
    return mlp;
  }

  private double[][] state() {
    return new double[][] {
      hiddenWeights, hiddenBias, outputWeights, outputBias,
      hiddenWeightsVelocity, hiddenBiasVelocity, outputWeightsVelocity, outputBiasVelocity
    };
  }

  private static void fillGaussian(final double[] array, final double scale, final Random random) {
    for (int i = 0; i < array.length; i++) {
      array[i] = scale * random.nextGaussian();
    }
  }

  private static int argmax(final double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
