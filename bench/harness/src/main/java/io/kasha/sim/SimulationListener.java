package io.kasha.sim;

/**
 * Sees a simulation as it happens, in virtual-time order; events at the same time come in the order
 * the simulation handles them. Every method defaults to doing nothing.
 */
public interface SimulationListener {

  /** A job took a worker. */
  default void started(double time, Job job) {}

  /** A job finished with {@code loss}, seen before any decision that result leads to. */
  default void completed(double time, Job job, double loss) {}

  /** A job was lost; the same job is started again at once as its next attempt. */
  default void dropped(double time, Job job) {}
}
