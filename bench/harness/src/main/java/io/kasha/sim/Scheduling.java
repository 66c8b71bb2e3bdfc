package io.kasha.sim;

/**
 * A tuning method inside a {@link Simulation}: decides which jobs start, and learns their results.
 * One instance serves one simulated study; the simulation calls it from a single thread, first
 * {@link #fill} once, then, for every job that finishes, {@link #completed} followed by {@link #fill}.
 * A dropped job is run again by the simulation itself and never reaches the method.
 */
public interface Scheduling {

  /** Starts jobs on free workers ({@link SimulatedStudy#start}) while the method has any to start. */
  void fill();

  /** {@code job} finished with {@code loss}; called before the next {@link #fill}. */
  void completed(Job job, double loss);

  /** Makes the method for one study; called once, before the simulation's first event. */
  @FunctionalInterface
  interface Factory {
    Scheduling create(SimulatedStudy study);
  }
}
