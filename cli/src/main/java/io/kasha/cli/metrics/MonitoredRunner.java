package io.kasha.cli.metrics;

import io.kasha.runner.RunnerConfig;
import io.kasha.runner.TrialRunner;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * A runner with its monitoring, as {@code kasha runner --metrics-port} runs it: the runner's meters (jobs,
 * slots, checkpoint bytes, its Kafka clients') and the JVM's, served by a {@link MetricsServer} with
 * {@code /metrics} and {@code /health} (ready while every slot's share consumer is subscribed and
 * polling).
 *
 * <p>Lifecycle: the endpoints answer from construction on (503 until the slots poll); {@link #run} once,
 * as {@link TrialRunner#run}; {@link #close} stops the runner, then the server.
 */
public final class MonitoredRunner implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TrialRunner runner;
  private final MetricsServer server;

  /** A runner of {@code config} whose endpoints are on {@code port} (0: a free one). */
  public MonitoredRunner(final RunnerConfig config, final int port) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.runner = new TrialRunner(config, registry);
    this.server = MetricsServer.start(port, registry, runner::notReady, Map.of());
  }

  public TrialRunner runner() {
    return runner;
  }

  /** The port of the endpoints. */
  public int port() {
    return server.port();
  }

  /** Runs the runner to its end (see {@link TrialRunner#run}); the endpoints stay up until {@link #close}. */
  public void run() {
    runner.run();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      runner.close();
    } finally {
      server.close();
      registry.close();
    }
  }
}
