package io.kasha.bench.sim;

import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.sim.Simulation;
import io.kasha.sim.SimulationConfig;
import io.kasha.sim.SimulationListener;
import io.kasha.sim.SimulationResult;

/**
 * Runs simulated ASHA studies whose decisions the real pipeline makes: an embedded KRaft broker and
 * the Kafka Streams scheduler (exactly-once, RocksDB), with the simulator's workers in place of the
 * runners and time advanced by the simulator ({@link KafkaScheduling}). Hundreds of simulated
 * workers cost no more than one: a worker is an entry in the simulator's event queue.
 */
public final class PipelineSimulator implements AutoCloseable {

  private final SimulationCluster cluster;
  private int studies;

  private PipelineSimulator(final SimulationCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts the broker and the scheduler; takes some seconds. */
  public static PipelineSimulator start() throws Exception {
    return new PipelineSimulator(SimulationCluster.start());
  }

  /**
   * Runs one study to its end through the scheduler.
   *
   * @throws IllegalArgumentException if the simulation is not one study (see {@link #supports})
   * @throws IllegalStateException if the scheduler and the simulation disagree on a decision
   */
  public SimulationResult run(final SimulationConfig config, final SimulationListener listener) {
    if (!supports(config)) {
      throw new IllegalArgumentException("the pipeline runs one study per simulation; " + config.method()
          + " without a trial limit runs one study per bracket");
    }
    final String studyId = "sim-" + (++studies) + "-seed-" + config.seed();
    final KafkaScheduling[] scheduling = new KafkaScheduling[1];
    final SimulationResult result = Simulation.run(config, study -> {
      scheduling[0] = new KafkaScheduling(study, cluster, studyId);
      return scheduling[0];
    }, listener);
    if (result.timeLimitReached()) {
      cluster.submit(studyId, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.STOP)
          .setReason("virtual time limit reached").build());
    } else if (!scheduling[0].studyCompleted()) {
      throw new IllegalStateException("study " + studyId + ": the simulation ended but the scheduler did not "
          + "complete the study");
    }
    return result;
  }

  /** True if the simulation is one study of the scheduler, which the pipeline can run (not SHA without a trial limit). */
  public static boolean supports(final SimulationConfig config) {
    return config.method().spec(config, 1) == null;
  }

  @Override
  public void close() {
    cluster.close();
  }
}
