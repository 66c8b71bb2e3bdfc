package io.kasha.bench.pipeline;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An objective that does no work: it reports its target resource with {@code loss = (x - 0.3)^2 + 1 /
 * resource}, from its parameter {@code x} (0 if absent). Deterministic and nearly free, so that a
 * benchmark of the pipeline measures Kafka, the scheduler and the runners, not training.
 *
 * <p>By default it reports at once. Given a mean job time, each job first sleeps a time drawn uniformly
 * from 0 to twice that mean, fixed by the trial and its target resource: reports then reach the scheduler
 * at any moment, as real trials' do, instead of just after the commit that released their jobs.
 */
public final class NoopObjective implements Objective {

  public static final String NAME = "noop";
  public static final String METRIC = "loss";

  private final long meanJobMillis;

  /** Reports at once (the form {@link java.util.ServiceLoader} finds). */
  public NoopObjective() {
    this(0);
  }

  /** @param meanJobMillis mean time a job sleeps before it reports; 0 for none */
  public NoopObjective(final long meanJobMillis) {
    if (meanJobMillis < 0) {
      throw new IllegalArgumentException("meanJobMillis must not be negative, got " + meanJobMillis);
    }
    this.meanJobMillis = meanJobMillis;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(final TrialContext context) throws InterruptedException {
    final long sleep = jobMillis(context.trialId(), context.resourceTo(), meanJobMillis);
    if (sleep > 0) {
      Thread.sleep(sleep);
    }
    final Object x = context.params().get("x");
    final double distance = (x instanceof Number number ? number.doubleValue() : 0.0) - 0.3;
    context.report(context.resourceTo(), Map.of(METRIC, distance * distance + 1.0 / context.resourceTo()));
  }

  /** The time the job of {@code trialId} up to {@code resourceTo} sleeps: uniform in [0, 2 x mean]. */
  static long jobMillis(final String trialId, final long resourceTo, final long meanJobMillis) {
    if (meanJobMillis == 0) {
      return 0;
    }
    return new SplittableRandom(31L * trialId.hashCode() + resourceTo).nextLong(2 * meanJobMillis + 1);
  }
}
