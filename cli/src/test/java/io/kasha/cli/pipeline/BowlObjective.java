package io.kasha.cli.pipeline;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.nio.file.Files;
import java.util.Map;

/**
 * A fast objective for pipeline tests: {@code loss = (x - 0.3)^2 + 1 / resource}, and a second
 * objective {@code size = x} that conflicts with it below 0.3, sleeping {@code
 * sleep_ms} (if given) per unit of resource so tests can catch a job while it runs. It writes its
 * resource to a checkpoint and checks, when resuming, that the checkpoint it gets is the right one.
 * In a JVM started with {@code -D}{@value #HOLD_PROPERTY}{@code =true} it holds every job, reporting
 * nothing, until the job is cancelled or the JVM killed: a runner that can never finish a job.
 */
public final class BowlObjective implements Objective {

  static final String HOLD_PROPERTY = "kasha.test.bowl.hold";

  @Override
  public String name() {
    return "test-bowl";
  }

  @Override
  public void run(final TrialContext context) throws Exception {
    if (Boolean.getBoolean(HOLD_PROPERTY)) {
      while (!context.cancelled()) {
        Thread.sleep(100);
      }
      return;
    }
    if (context.checkpointIn().isPresent()) {
      final long saved = Long.parseLong(Files.readString(context.checkpointIn().get().resolve("resource")).trim());
      if (saved != context.resourceFrom()) {
        throw new IllegalStateException("checkpoint at " + saved + ", job resumes from " + context.resourceFrom());
      }
    }
    final double x = context.doubleParam("x");
    final Object sleep = context.params().get("sleep_ms");
    for (long r = context.resourceFrom() + 1; r <= context.resourceTo() && !context.cancelled(); r++) {
      if (sleep != null) {
        Thread.sleep(((Number) sleep).longValue());
      }
      context.report(r, Map.of("loss", (x - 0.3) * (x - 0.3) + 1.0 / r, "size", x));
    }
    Files.writeString(context.checkpointOut().resolve("resource"), Long.toString(context.resourceTo()));
  }
}
