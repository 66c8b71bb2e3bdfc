package io.kasha.objective;

import java.nio.file.Files;
import java.util.Map;

/**
 * A Java objective for tests, found by ServiceLoader: halves the loss at every step, resumes from
 * its checkpoint, and fails or stops early when its parameters say so.
 */
public final class HalvingObjective implements Objective {

  public static final String NAME = "test-halving";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(final TrialContext context) throws Exception {
    if (context.params().containsKey("fail")) {
      throw new IllegalStateException((String) context.params().get("fail"));
    }
    double loss = context.checkpointIn().isPresent()
        ? Double.parseDouble(Files.readString(context.checkpointIn().get().resolve("loss.txt")))
        : context.doubleParam("lr");
    final long stopAt = context.params().containsKey("stop_at")
        ? ((Number) context.params().get("stop_at")).longValue()
        : context.resourceTo();
    final long sleepMillis = context.params().containsKey("step_millis")
        ? ((Number) context.params().get("step_millis")).longValue()
        : 0;
    for (long resource = context.resourceFrom() + 1; resource <= stopAt && !context.cancelled(); resource++) {
      Thread.sleep(sleepMillis);
      loss /= 2;
      context.report(resource, Map.of("loss", loss));
    }
    Files.writeString(context.checkpointOut().resolve("loss.txt"), Double.toString(loss));
  }
}
