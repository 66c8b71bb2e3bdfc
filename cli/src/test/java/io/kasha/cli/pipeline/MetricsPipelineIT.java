package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.cli.metrics.MonitoredRunner;
import io.kasha.cli.metrics.MonitoredScheduler;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.runner.RunnerConfig;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.spec.Limits;
import io.kasha.topology.SchedulerApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring endpoints of a real scheduler and a real runner, as {@code kasha scheduler
 * --metrics-port} and {@code kasha runner --metrics-port} run them, scraped over HTTP while a study runs
 * on a real broker: health as a probe sees it, the meters as Prometheus parses them, and the waiting
 * jobs as an autoscaler reads them.
 */
class MetricsPipelineIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  /** The events a study has all of by its study-completed event (checkpoint releases may follow it). */
  private static final List<EventType> DECISIONS = List.of(EventType.STUDY_ACCEPTED, EventType.STUDY_REJECTED,
      EventType.TRIAL_CREATED, EventType.RUNG_RESULT, EventType.TRIAL_PROMOTED, EventType.TRIAL_COMPLETED,
      EventType.TRIAL_FAILED, EventType.JOB_REISSUED, EventType.STUDY_COMPLETED);

  @TempDir
  Path home;

  private MonitoredScheduler scheduler(final Pipeline pipeline) {
    return new MonitoredScheduler(pipeline.topics, SchedulerApp.config(pipeline.bootstrap,
        pipeline.name + "-scheduler", home.resolve("state"), Map.of()), Limits.DEFAULTS, pipeline.name + "-runners", 0);
  }

  private MonitoredRunner runner(final Pipeline pipeline, final int slots) {
    return new MonitoredRunner(RunnerConfig.builder(pipeline.bootstrap, EntrypointRegistry.discover(),
            new DirectoryCheckpointStore(home.resolve("checkpoints")))
        .topics(pipeline.topics).groupId(pipeline.name + "-runners").slots(slots).runnerId(pipeline.name + "-runner")
        .build(), 0);
  }

  private static Thread runInBackground(final MonitoredRunner runner) {
    final Thread thread = new Thread(runner::run, "monitored-runner");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Test
  void healthTurnsReadyWhenRunningAndTheMetersCountTheWholeStudy() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "metrics", home);
         MonitoredScheduler scheduler = scheduler(pipeline);
         MonitoredRunner runner = runner(pipeline, 2)) {
      final Endpoints schedulerEndpoints = new Endpoints(scheduler.port());
      final Endpoints runnerEndpoints = new Endpoints(runner.port());
      assertThat(schedulerEndpoints.health()).as("scheduler health before it starts").isEqualTo(503);
      assertThat(schedulerEndpoints.jobsWaiting()).as("jobs waiting before the first refresh").isEqualTo(-1);
      assertThat(runnerEndpoints.health()).as("runner health before it runs").isEqualTo(503);

      scheduler.start();
      Endpoints.await(schedulerEndpoints::health, status -> status == 200, TIMEOUT, "scheduler ready");
      final Thread running = runInBackground(runner);
      Endpoints.await(runnerEndpoints::health, status -> status == 200, TIMEOUT, "runner ready");

      pipeline.submit("s1", Pipeline.spec().setMaxTrials(18).build());
      final List<StudyEvent> events = pipeline.awaitEnd("s1", TIMEOUT);
      assertThat(events.get(events.size() - 1).getStatus()).isEqualTo("COMPLETED");

      final PrometheusText schedulerMetrics = Endpoints.await(schedulerEndpoints::metrics,
          m -> m.value("kasha_scheduler_studies", "status", "completed") == 1, TIMEOUT, "one completed study");
      assertThat(schedulerMetrics.value("kasha_scheduler_studies", "status", "running")).isZero();
      for (final EventType type : DECISIONS) {
        assertThat(schedulerMetrics.value("kasha_scheduler_events_total", "type", typeName(type)))
            .as("%s events counted", type).isEqualTo(count(events, type));
      }
      assertThat(count(events, EventType.TRIAL_CREATED)).isEqualTo(18);
      final long jobs = count(events, EventType.TRIAL_CREATED) + count(events, EventType.TRIAL_PROMOTED)
          + count(events, EventType.JOB_REISSUED);
      assertThat(schedulerMetrics.value("kasha_scheduler_jobs_issued_total")).isEqualTo(jobs);
      assertThat(schedulerMetrics.value("kasha_scheduler_jobs_unstarted")).isZero();
      // every job reports at least STARTED and its end
      assertThat(schedulerMetrics.value("kasha_scheduler_report_lag_seconds_count")).isGreaterThanOrEqualTo(2 * jobs);
      assertThat(schedulerMetrics.value("kasha_scheduler_reports_unknown_study_total")).isZero();
      assertThat(schedulerMetrics.has("kafka_stream_")).as("Kafka Streams metrics").isTrue();
      Endpoints.await(schedulerEndpoints::jobsWaiting, waiting -> waiting == 0, TIMEOUT, "no job waiting");

      final PrometheusText runnerMetrics = runnerEndpoints.metrics();
      assertThat(runnerMetrics.value("kasha_runner_jobs_taken_total")).isEqualTo(jobs);
      assertThat(runnerMetrics.value("kasha_runner_jobs_completed_total")).isEqualTo(jobs);
      assertThat(runnerMetrics.value("kasha_runner_job_duration_seconds_count", "outcome", "completed"))
          .isEqualTo(jobs);
      assertThat(runnerMetrics.value("kasha_runner_jobs_failed_total", "kind", "error")).isZero();
      assertThat(runnerMetrics.value("kasha_runner_jobs_running")).isZero();
      assertThat(runnerMetrics.value("kasha_runner_slots", "state", "free")).isEqualTo(2);
      assertThat(runnerMetrics.value("kasha_runner_slots", "state", "busy")).isZero();
      // the objective writes its resource ("1", "3" or "9") as its checkpoint: one byte per segment
      assertThat(runnerMetrics.value("kasha_runner_checkpoint_bytes_total", "direction", "up")).isEqualTo(jobs);
      assertThat(runnerMetrics.value("kasha_runner_checkpoint_bytes_total", "direction", "down"))
          .isEqualTo(count(events, EventType.TRIAL_PROMOTED));
      assertThat(runnerMetrics.has("kafka_consumer_share_")).as("share consumer metrics").isTrue();
      assertThat(runnerMetrics.has("kafka_producer_")).as("report producer metrics").isTrue();

      runner.runner().stop();
      Endpoints.await(runnerEndpoints::health, status -> status == 503, TIMEOUT, "runner not ready once stopping");
      running.join(TIMEOUT.toMillis());
    }
  }

  @Test
  void jobsWaitingRisesToTheStudysParallelismWithoutRunnersAndFallsToZeroOnceOneRuns() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "waiting", home);
         MonitoredScheduler scheduler = scheduler(pipeline)) {
      final Endpoints endpoints = new Endpoints(scheduler.port());
      scheduler.start();
      Endpoints.await(endpoints::health, status -> status == 200, TIMEOUT, "scheduler ready");
      Endpoints.await(endpoints::jobsWaiting, waiting -> waiting == 0, TIMEOUT, "an empty queue");

      pipeline.submit("s1", Pipeline.spec().setParallelism(3).setMaxTrials(9).setParams(List.of(
          Pipeline.spec().getParams().get(0), Pipeline.sleepMs(20))).build());
      final List<Long> seen = new ArrayList<>();
      Endpoints.await(() -> record(seen, endpoints.jobsWaiting()), waiting -> waiting == 3, TIMEOUT,
          "the study's three jobs waiting");
      final PrometheusText metrics = endpoints.metrics();
      assertThat(metrics.value("kasha_jobs_waiting")).isEqualTo(3);
      assertThat(metrics.value("kasha_scheduler_jobs_unstarted")).isEqualTo(3);

      try (MonitoredRunner runner = runner(pipeline, 1)) {
        runInBackground(runner);
        pipeline.awaitEnd("s1", TIMEOUT);
        Endpoints.await(() -> record(seen, endpoints.jobsWaiting()), waiting -> waiting == 0, TIMEOUT,
            "no job waiting once the study ended");
      }
      System.out.println("jobs waiting, as read every 200 ms: " + compress(seen));
    }
  }

  private static long record(final List<Long> seen, final long waiting) {
    seen.add(waiting);
    return waiting;
  }

  /** {@code 0 0 3 3 3 2} as {@code 0x2 3x3 2}. */
  static String compress(final List<Long> values) {
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); ) {
      int j = i;
      while (j < values.size() && values.get(j).equals(values.get(i))) {
        j++;
      }
      out.append(values.get(i)).append(j - i > 1 ? "x" + (j - i) : "").append(' ');
      i = j;
    }
    return out.toString().trim();
  }

  private static String typeName(final EventType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static long count(final List<StudyEvent> events, final EventType type) {
    return events.stream().filter(event -> event.getType() == type).count();
  }
}
