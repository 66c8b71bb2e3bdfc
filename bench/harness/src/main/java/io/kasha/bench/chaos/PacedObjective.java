package io.kasha.bench.chaos;

import io.kasha.benchmark.Branin;
import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.objective.Objective;
import io.kasha.objective.TrialContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The objective of {@code kasha chaos}, entrypoint {@value #NAME}: the multi-fidelity Branin function that takes
 * real time, {@value #STEP_MS} milliseconds per unit of resource, so that a runner killed at a random moment is
 * most likely in the middle of a job.
 *
 * <p>It steps one unit at a time from where the trial stands to {@code resourceTo}, sleeping, then reporting the
 * loss at that unit as {@value #METRIC} (each report renews the job's lease), and writes a checkpoint of the
 * resource reached when the segment ends. A segment that starts past 0 must resume from a checkpoint of exactly
 * its starting resource: a promoted trial whose checkpoint is missing or from elsewhere fails rather than start
 * again unnoticed, so a lost checkpoint shows in the campaign's failed trials.
 *
 * <p>Parameters: Branin's {@code x1} and {@code x2}, {@value #STEP_MS} and {@value #MAX_RESOURCE} (the study's
 * maximum resource, which sets the fidelity; a job is not told it), each a one-choice parameter of the study.
 */
public final class PacedObjective implements Objective {

  public static final String NAME = "chaos-branin";
  public static final String METRIC = "loss";
  public static final String STEP_MS = "step_ms";
  public static final String MAX_RESOURCE = "max_resource";

  static final String CHECKPOINT_FILE = "paced-branin.txt";

  private static final long SLEEP_SLICE_MS = 100;

  private final BenchmarkFunction function = new Branin();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(final TrialContext context) throws IOException, InterruptedException {
    final Map<String, Object> params = context.params();
    final long stepMs = whole(params, STEP_MS, 0);
    final long maxResource = whole(params, MAX_RESOURCE, 1);
    if (context.resourceTo() > maxResource) {
      throw new IllegalArgumentException("segment goes to resource " + context.resourceTo() + ", past "
          + MAX_RESOURCE + " " + maxResource);
    }
    long at = startingPoint(context);
    while (at < context.resourceTo()) {
      if (!sleep(stepMs, context)) {
        return;
      }
      at++;
      if (at > context.resourceFrom()) {
        context.report(at, Map.of(METRIC, function.lossNoiseFree(params, at, maxResource)));
      }
    }
    Files.createDirectories(context.checkpointOut());
    Files.writeString(context.checkpointOut().resolve(CHECKPOINT_FILE), NAME + " " + at + "\n",
        StandardCharsets.UTF_8);
  }

  /** The resource the trial stands at: 0 for a new one, else its checkpoint's, which must be resourceFrom. */
  private static long startingPoint(final TrialContext context) throws IOException {
    if (context.resourceFrom() == 0) {
      return 0;
    }
    final Path dir = context.checkpointIn().orElseThrow(() -> new IllegalStateException("trial "
        + context.trialId() + " resumes at resource " + context.resourceFrom() + " but its job carries no checkpoint"));
    final String[] fields = Files.readString(dir.resolve(CHECKPOINT_FILE), StandardCharsets.UTF_8).strip().split(" ");
    if (fields.length != 2 || !fields[0].equals(NAME) || !fields[1].equals(Long.toString(context.resourceFrom()))) {
      throw new IllegalStateException("checkpoint " + dir + " of trial " + context.trialId() + " is not a " + NAME
          + " checkpoint at resource " + context.resourceFrom());
    }
    return context.resourceFrom();
  }

  /** Sleeps {@code ms} in slices, returning false as soon as the runner cancels the segment. */
  private static boolean sleep(final long ms, final TrialContext context) throws InterruptedException {
    final long end = System.nanoTime() + ms * 1_000_000;
    for (long left = ms; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
      if (context.cancelled()) {
        return false;
      }
      Thread.sleep(Math.min(left, SLEEP_SLICE_MS));
    }
    return !context.cancelled();
  }

  private static long whole(final Map<String, Object> params, final String name, final long min) {
    final Object value = params.get(name);
    if (!(value instanceof Number number) || number.doubleValue() != number.longValue() || number.longValue() < min) {
      throw new IllegalArgumentException("parameter " + name + " must be a whole number >= " + min + ", got " + value);
    }
    return number.longValue();
  }
}
