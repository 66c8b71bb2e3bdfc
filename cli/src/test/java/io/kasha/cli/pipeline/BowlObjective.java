package io.kasha.cli.pipeline;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fast objective for pipeline tests: {@code loss = (x - 0.3)^2 + 1 / resource}, and a second
 * objective {@code size = x} that conflicts with it below 0.3, sleeping {@code
 * sleep_ms} (if given) per unit of resource so tests can catch a job while it runs. It writes its
 * resource to a checkpoint and checks, when resuming, that the checkpoint it gets is the right one.
 * In a JVM started with {@code -D}{@value #HOLD_PROPERTY}{@code =true} it holds every job, reporting
 * nothing, until the job is cancelled or the JVM killed: a runner that can never finish a job. A
 * trial with a {@code gate} parameter (see {@link Pipeline#gate}) holds its promoted segments, those
 * that resume from a checkpoint, until a test in the same JVM {@linkplain #open opens} that gate.
 */
public final class BowlObjective implements Objective {

  static final String HOLD_PROPERTY = "kasha.test.bowl.hold";

  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  /** Lets the promoted segments held at {@code gate} run, and those that come later. */
  static void open(final String gate) {
    latch(gate).countDown();
  }

  private static CountDownLatch latch(final String gate) {
    return GATES.computeIfAbsent(gate, name -> new CountDownLatch(1));
  }

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
    final Object gate = context.params().get("gate");
    if (gate != null && context.resourceFrom() > 0) {
      while (!latch(gate.toString()).await(100, TimeUnit.MILLISECONDS)) {
        if (context.cancelled()) {
          return;
        }
      }
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
