package io.kasha.examples.mlp;

import java.util.Random;

/**
 * Three interleaved noisy spirals drawn in a plane and embedded in ten dimensions: a classification
 * problem that no linear model solves and a small two-layer network solves well, given good
 * optimiser settings.
 *
 * <p>Every point is a function of fixed seeds, so {@link #training()} and {@link #validation()}
 * hold the same points on every machine and in every run. Both are built when the class loads,
 * shared by concurrent trials, and never modified.
 */
public final class SpiralDataset {

  public static final int DIMENSIONS = 10;
  public static final int CLASSES = 3;

  private static final int TRAINING_SIZE = 2_000;
  private static final int VALIDATION_SIZE = 500;
  private static final long EMBEDDING_SEED = 20_261_101L;
  private static final long TRAINING_SEED = 1L;
  private static final long VALIDATION_SEED = 2L;

  private static final double TURNS = 1.0;
  private static final double INNER_RADIUS = 0.4;
  private static final double OUTER_RADIUS = 4.0;
  private static final double ANGLE_NOISE = 0.15;
  private static final double FEATURE_NOISE = 0.05;

  private static final double[][] AXES = orthonormalAxes(EMBEDDING_SEED);
  private static final SpiralDataset TRAINING = generate(TRAINING_SIZE, TRAINING_SEED);
  private static final SpiralDataset VALIDATION = generate(VALIDATION_SIZE, VALIDATION_SEED);

  private final double[][] rows;
  private final int[] labels;

  private SpiralDataset(final double[][] rows, final int[] labels) {
    this.rows = rows;
    this.labels = labels;
  }

  /** The 2,000 training points. */
  public static SpiralDataset training() {
    return TRAINING;
  }

  /** The 500 validation points, drawn from the same spirals as the training points. */
  public static SpiralDataset validation() {
    return VALIDATION;
  }

  /**
   * Draws {@code size} points, classes in turn. A point of class {@code c} lies at a uniformly
   * drawn position {@code t} along spiral arm {@code c} (one turn, radius growing from 0.4 to 4),
   * its angle blurred by Gaussian noise; the plane is then laid into ten dimensions along two fixed
   * orthonormal axes, and every feature gets a little Gaussian noise. The same arguments always
   * give the same points.
   */
  public static SpiralDataset generate(final int size, final long seed) {
    final Random random = new Random(seed);
    final double[][] rows = new double[size][];
    final int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      final int label = i % CLASSES;
      final double t = random.nextDouble();
      final double radius = INNER_RADIUS + (OUTER_RADIUS - INNER_RADIUS) * t;
      final double angle =
          2 * Math.PI * (TURNS * t + (double) label / CLASSES)
              + ANGLE_NOISE * random.nextGaussian();
      rows[i] = embed(radius * Math.cos(angle), radius * Math.sin(angle), random);
      labels[i] = label;
    }
    return new SpiralDataset(rows, labels);
  }

  public int size() {
    return labels.length;
  }

  public int label(final int index) {
    return labels[index];
  }

  /** A copy of the features of one point. */
  public double[] features(final int index) {
    return rows[index].clone();
  }

  /** The features of one point, not copied: callers only read it. */
  double[] row(final int index) {
    return rows[index];
  }

  private static double[] embed(final double x, final double y, final Random random) {
    final double[] row = new double[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      row[d] = x * AXES[0][d] + y * AXES[1][d] + FEATURE_NOISE * random.nextGaussian();
    }
    return row;
  }

  /** Two orthonormal directions in the feature space, so that distances in the plane are kept. */
  private static double[][] orthonormalAxes(final long seed) {
    final Random random = new Random(seed);
    final double[] first = gaussianVector(random);
    final double[] second = gaussianVector(random);
    normalise(first);
    final double projection = dot(first, second);
    for (int d = 0; d < DIMENSIONS; d++) {
      second[d] -= projection * first[d];
    }
    normalise(second);
    return new double[][] {first, second};
  }

  private static double[] gaussianVector(final Random random) {
    final double[] vector = new double[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] = random.nextGaussian();
    }
    return vector;
  }

  private static void normalise(final double[] vector) {
    final double norm = Math.sqrt(dot(vector, vector));
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= norm;
    }
  }

  private static double dot(final double[] a, final double[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      sum += a[d] * b[d];
    }
    return sum;
  }
}
