package io.kasha.cli.metrics;

import io.kasha.metrics.JobsWaiting;
import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.Topics;
import io.kasha.spec.Limits;
import io.kasha.topology.SchedulerApp;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler with its monitoring, as {@code kasha scheduler --metrics-port} runs it: Kafka Streams' and
 * its clients' metrics, Kasha's meters ({@link SchedulerMetrics}), the JVM's, and the jobs waiting for
 * runners ({@link JobsWaiting}), served by a {@link MetricsServer} with {@code /metrics}, {@code /health}
 * (ready while the Streams state is RUNNING) and {@code /jobs-waiting} ({@code {"waiting": N}}).
 * The jobs waiting and the studies by status are refreshed every {@link #REFRESH_INTERVAL} on a thread of
 * their own, never on a stream thread.
 *
 * <p>Lifecycle: the endpoints answer from construction on (so a probe sees 503 while the scheduler
 * starts); {@link #start} once; {@link #close} stops the refreshing, the scheduler and the server.
 */
public final class MonitoredScheduler implements AutoCloseable {

  public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(MonitoredScheduler.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SchedulerMetrics metrics = new SchedulerMetrics(registry);
  private final SchedulerApp app;
  private final JobsWaiting jobsWaiting;
  private final MetricsServer server;
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
    final Thread thread = new Thread(task, "kasha-scheduler-metrics");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String refreshProblem;

  /**
   * @param streamsConfig the scheduler's Streams settings (see {@link SchedulerApp#config})
   * @param runnerGroup the runners' share group, whose waiting jobs are counted
   * @param port the port of the endpoints; 0 for a free one
   */
  public MonitoredScheduler(final Topics topics, final Properties streamsConfig, final Limits limits,
      final String runnerGroup, final int port) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.app = new SchedulerApp(topics, streamsConfig, limits, metrics);
    app.bindTo(registry);
    this.jobsWaiting = JobsWaiting.forScheduler(streamsConfig, topics.trialJobs().name(), runnerGroup);
    jobsWaiting.bindTo(registry);
    try {
      this.server = MetricsServer.start(port, registry, this::notReady, Map.of("/jobs-waiting", this::waitingJson));
    } catch (RuntimeException e) {
      jobsWaiting.close();
      app.close();
      throw e;
    }
  }

  public void start() {
    app.start();
    refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port of the endpoints. */
  public int port() {
    return server.port();
  }

  public SchedulerApp app() {
    return app;
  }

  private Optional<String> notReady() {
    final KafkaStreams.State state = app.state();
    return state == KafkaStreams.State.RUNNING ? Optional.empty() : Optional.of("Kafka Streams is " + state);
  }

  private Optional<String> waitingJson() {
    final long waiting = jobsWaiting.waiting();
    return waiting < 0 ? Optional.empty() : Optional.of("{\"waiting\": " + waiting + "}");
  }

  private void refresh() {
    try {
      jobsWaiting.refresh();
      if (app.state() == KafkaStreams.State.RUNNING) {
        metrics.studies(app.studiesByStatus());
      }
      if (refreshProblem != null) {
        LOG.info("scheduler metrics: refreshed again");
        refreshProblem = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (InvalidStateStoreException e) {
      LOG.debug("scheduler metrics: the studies cannot be counted while their tasks move: {}", e.getMessage());
    } catch (RuntimeException e) {
      // logged once per kind of problem, not every few seconds
      if (!e.toString().equals(refreshProblem)) {
        LOG.warn("scheduler metrics: cannot refresh the jobs waiting or the studies by status (tried again every "
            + "{} s): {}", REFRESH_INTERVAL.toSeconds(), e.toString());
        refreshProblem = e.toString();
      }
    }
  }

  /** Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.close();
    jobsWaiting.close();
    server.close();
    registry.close();
  }
}
