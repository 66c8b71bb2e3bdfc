package io.kasha.examples.mlp;

/**
 * Stochastic gradient descent with momentum and L2 weight decay. For each weight {@code w}, with
 * gradient {@code g} and velocity {@code v}:
 *
 * <pre>{@code
 * v = momentum * v - learningRate * (g + weightDecay * w)
 * w = w + v
 * }</pre>
 */
public record Sgd(double learningRate, double momentum, double weightDecay) {

  /**
   * Updates {@code weights} and {@code velocity} in place from a sum of gradients over a batch.
   *
   * @param gradientSum gradients summed over the batch
   * @param batchSize the number of examples in the sum
   * @param decay whether weight decay applies (it does to weights, not to biases)
   */
  void step(
      final double[] weights,
      final double[] velocity,
      final double[] gradientSum,
      final int batchSize,
      final boolean decay) {
    final double decayRate = decay ? weightDecay : 0.0;
    for (int i = 0; i < weights.length; i++) {
      final double gradient = gradientSum[i] / batchSize + decayRate * weights[i];
      velocity[i] = momentum * velocity[i] - learningRate * gradient;
      weights[i] += velocity[i];
    }
  }
}
