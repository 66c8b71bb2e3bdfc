package io.kasha.examples.benchmark;

import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.benchmark.CountingOnes;
import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A {@link BenchmarkFunction} as an objective, under the entrypoint {@code bench-<function>} (for example
 * {@code bench-hartmann6}). It steps one unit of resource at a time from where the trial stands to
 * {@code resourceTo}, reports the function's loss as the metric {@value #METRIC} at every resource from
 * {@code resourceFrom + 1} on, then writes a {@link BenchmarkCheckpoint} of the resource reached.
 *
 * <p>A promoted trial resumes from its checkpoint. A segment without one that starts past 0 replays the
 * earlier steps silently, as the quickstart network does. Counting-ones carries its Bernoulli draws from
 * step to step: one more draw per continuous parameter at each unit of resource, so the loss at {@code b}
 * is the mean of the same {@code b} draws however the trial was cut into segments.
 *
 * <p>The noise of a step comes from a generator seeded with the trial id and the resource, so a re-run
 * segment reports exactly the same losses. Nothing waits for the function's cost model: a study runs as
 * fast as the scheduling allows, and the cost model serves simulation only.
 *
 * <p>Parameters: the function's own, and optionally {@value #MAX_RESOURCE}, the study's maximum resource
 * {@code R}, which sets the fidelity {@code z = r / R} (the function's default when absent). A job is not
 * told its study's maximum, so a study with another maximum passes it here, as a parameter with one
 * choice.
 *
 * <p>The nested classes register each function of {@link BenchmarkFunctions} with {@link
 * java.util.ServiceLoader}.
 */
public class BenchmarkObjective implements Objective {

  public static final String METRIC = "loss";
  public static final String MAX_RESOURCE = "max_resource";
  public static final String PREFIX = "bench-";

  private final BenchmarkFunction function;

  public BenchmarkObjective(final BenchmarkFunction function) {
    this.function = Objects.requireNonNull(function, "function");
  }

  /** The entrypoint name of the objective of the function named {@code function}. */
  public static String entrypoint(final String function) {
    return PREFIX + function;
  }

  public final BenchmarkFunction function() {
    return function;
  }

  @Override
  public final String name() {
    return entrypoint(function.name());
  }

  @Override
  public final void run(final TrialContext context) throws IOException {
    final Map<String, Object> params = context.params();
    final long maxResource = maxResource(params);
    if (context.resourceTo() > maxResource) {
      throw new IllegalArgumentException("segment goes to resource " + context.resourceTo() + ", past "
          + function.name() + "'s maximum resource " + maxResource + "; set the parameter " + MAX_RESOURCE);
    }
    function.lossNoiseFree(params, context.resourceTo(), maxResource);

    BenchmarkCheckpoint at = startingPoint(context);
    while (at.resource() < context.resourceTo()) {
      if (context.cancelled()) {
        return;
      }
      final long r = at.resource() + 1;
      final SplittableRandom noise = noise(context.trialId(), r);
      at = step(params, at, noise);
      if (r > context.resourceFrom()) {
        context.report(r, Map.of(METRIC, loss(params, at, maxResource, noise)));
      }
    }
    at.writeTo(context.checkpointOut());
  }

  /** The generator of the noise of the step to resource {@code r}: the same for the same trial and {@code r}. */
  static SplittableRandom noise(final String trialId, final long r) {
    return new SplittableRandom(((long) trialId.hashCode() << 32) ^ r);
  }

  /** One unit of resource on from {@code at}; counting-ones draws once more for each continuous parameter. */
  private BenchmarkCheckpoint step(
      final Map<String, Object> params, final BenchmarkCheckpoint at, final SplittableRandom noise) {
    if (function instanceof CountingOnes countingOnes) {
      final long[] ones = countingOnes.drawOnce(params, at.onesArray(), noise);
      return new BenchmarkCheckpoint(at.function(), at.resource() + 1, Arrays.stream(ones).boxed().toList());
    }
    return new BenchmarkCheckpoint(at.function(), at.resource() + 1, at.ones());
  }

  private double loss(final Map<String, Object> params, final BenchmarkCheckpoint at, final long maxResource,
      final SplittableRandom noise) {
    if (function instanceof CountingOnes countingOnes) {
      return countingOnes.loss(params, at.onesArray(), at.resource());
    }
    return function.loss(params, at.resource(), maxResource, noise);
  }

  private int counts() {
    return function instanceof CountingOnes countingOnes ? countingOnes.continuous() : 0;
  }

  private BenchmarkCheckpoint startingPoint(final TrialContext context) throws IOException {
    if (context.checkpointIn().isEmpty()) {
      return BenchmarkCheckpoint.start(function.name(), counts());
    }
    final BenchmarkCheckpoint checkpoint =
        BenchmarkCheckpoint.readFrom(context.checkpointIn().get(), function.name(), counts());
    if (checkpoint.resource() > context.resourceFrom()) {
      throw new IllegalStateException("checkpoint is at resource " + checkpoint.resource()
          + ", past the segment's start " + context.resourceFrom());
    }
    return checkpoint;
  }

  private long maxResource(final Map<String, Object> params) {
    final Object value = params.get(MAX_RESOURCE);
    if (value == null) {
      return function.defaultMaxResource();
    }
    if (!(value instanceof Number number) || !(number.doubleValue() >= 1)
        || number.doubleValue() != number.longValue()) {
      throw new IllegalArgumentException("parameter " + MAX_RESOURCE + " must be a whole number >= 1, got " + value);
    }
    return number.longValue();
  }

  /** {@code bench-hartmann3}, noisy. */
  public static final class Hartmann3 extends BenchmarkObjective {
    public Hartmann3() {
      super(BenchmarkFunctions.named("hartmann3"));
    }
  }

  /** {@code bench-hartmann6}, noisy. */
  public static final class Hartmann6 extends BenchmarkObjective {
    public Hartmann6() {
      super(BenchmarkFunctions.named("hartmann6"));
    }
  }

  /** {@code bench-counting-ones}, 4 binary and 4 continuous parameters. */
  public static final class CountingOnesObjective extends BenchmarkObjective {
    public CountingOnesObjective() {
      super(BenchmarkFunctions.named("counting-ones"));
    }
  }

  /** {@code bench-branin}. */
  public static final class Branin extends BenchmarkObjective {
    public Branin() {
      super(BenchmarkFunctions.named("branin"));
    }
  }

  /** {@code bench-height}. */
  public static final class Height extends BenchmarkObjective {
    public Height() {
      super(BenchmarkFunctions.named("height"));
    }
  }
}
