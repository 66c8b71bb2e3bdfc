package io.kasha.cli.bench;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.util.Map;

/**
 * An objective that does no work: it reports its target resource at once with {@code loss = (x -
 * 0.3)^2 + 1 / resource}, from its parameter {@code x} (0 if absent). Deterministic and nearly free, so
 * that a benchmark of the pipeline measures Kafka, the scheduler and the runners, not training.
 */
public final class NoopObjective implements Objective {

  public static final String NAME = "noop";
  public static final String METRIC = "loss";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(final TrialContext context) {
    final Object x = context.params().get("x");
    final double distance = (x instanceof Number number ? number.doubleValue() : 0.0) - 0.3;
    context.report(context.resourceTo(), Map.of(METRIC, distance * distance + 1.0 / context.resourceTo()));
  }
}
