package io.kasha.cli.pipeline;

import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
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
 * that resume from a checkpoint, until a test in the same JVM {@linkplain #open opens} that gate. A
 * trial with a {@value #WEIGHTS_PARAM} parameter stores weights beside its resource and reports what
 * it resumed from, so that a test can tell that a promotion read its checkpoint.
 */
public final class BowlObjective implements Objective {

  static final String HOLD_PROPERTY = "kasha.test.bowl.hold";
  /**
   * A trial with this parameter (a byte count) writes that many bytes of weights with its checkpoint, checks
   * them when it resumes, and reports the resource its checkpoint was written at as {@value #RESUMED_METRIC}.
   */
  static final String WEIGHTS_PARAM = "weights_bytes";
  static final String RESUMED_METRIC = "resumed_from";

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
    long saved = 0;
    if (context.checkpointIn().isPresent()) {
      saved = Long.parseLong(Files.readString(context.checkpointIn().get().resolve("resource")).trim());
      if (saved != context.resourceFrom()) {
        throw new IllegalStateException("checkpoint at " + saved + ", job resumes from " + context.resourceFrom());
      }
    }
    final Object weights = context.params().get(WEIGHTS_PARAM);
    if (weights != null && context.checkpointIn().isPresent()) {
      checkWeights(context.checkpointIn().get().resolve("weights/layer-0.bin"), ((Number) weights).intValue(), saved);
    }
    final double x = context.doubleParam("x");
    final Object sleep = context.params().get("sleep_ms");
    final boolean echo = weights != null;
    for (long r = context.resourceFrom() + 1; r <= context.resourceTo() && !context.cancelled(); r++) {
      if (sleep != null) {
        Thread.sleep(((Number) sleep).longValue());
      }
      final double loss = (x - 0.3) * (x - 0.3) + 1.0 / r;
      context.report(r, echo ? Map.of("loss", loss, "size", x, RESUMED_METRIC, (double) saved)
          : Map.of("loss", loss, "size", x));
    }
    if (weights != null) {
      Files.createDirectories(context.checkpointOut().resolve("weights"));
      Files.write(context.checkpointOut().resolve("weights/layer-0.bin"),
          weights(((Number) weights).intValue(), context.resourceTo()));
    }
    Files.writeString(context.checkpointOut().resolve("resource"), Long.toString(context.resourceTo()));
  }

  /** Bytes that depend on the resource they were written at, so a reader can tell one checkpoint from another. */
  private static byte[] weights(final int size, final long resource) {
    final byte[] bytes = new byte[size];
    new Random(resource).nextBytes(bytes);
    return bytes;
  }

  private static void checkWeights(final Path file, final int size, final long resource) throws IOException {
    if (!Arrays.equals(Files.readAllBytes(file), weights(size, resource))) {
      throw new IllegalStateException("the weights in " + file + " are not those written at " + resource);
    }
  }
}
