package io.kasha.objective;

/**
 * A training program written in Java that runs inside the runner's JVM. Implementations are found
 * with {@link java.util.ServiceLoader} (a {@code META-INF/services/io.kasha.objective.Objective}
 * entry) and become entrypoints under their {@link #name()}.
 *
 * <p>One call of {@link #run} trains one trial from {@code resourceFrom} to {@code resourceTo}. It
 * may be called concurrently for different trials, so implementations keep no per-trial state in
 * fields.
 */
public interface Objective {

  /** The entrypoint name a study file refers to, for example {@code "quickstart-mlp"}. */
  String name();

  /**
   * Trains from {@link TrialContext#resourceFrom()} (resuming from {@link
   * TrialContext#checkpointIn()} when present) to {@link TrialContext#resourceTo()}, reporting at
   * least once with {@code resource >= resourceTo}. Should return early when {@link
   * TrialContext#cancelled()} turns true.
   */
  void run(TrialContext context) throws Exception;
}
