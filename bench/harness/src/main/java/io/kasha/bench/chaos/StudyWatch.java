package io.kasha.bench.chaos;

import io.kasha.cli.watch.EventLog;
import io.kasha.method.RungSchedule;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import io.kasha.schemas.TrialReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the study while it runs, from two topics, each on a thread of its own that rides out the broker's
 * restarts: its audit log (committed events only), for the progress that times the faults and for the end of the
 * study; and the runners' reports, for the jobs each runner process is running, so that a runner is killed while
 * it has a job. Only for progress and targeting: the campaign's figures and checks are taken from the whole log
 * read again once the study has ended.
 */
final class StudyWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StudyWatch.class);

  /** What the log has shown so far. */
  record Progress(long results, long work, long trials, long reissued, long failed, String status) {

    boolean ended() {
      return status != null;
    }
  }

  private final String studyId;
  private final RungSchedule rungs;
  private final Thread events;
  private final Thread reports;
  private final Map<String, Set<String>> jobsByRunner = new HashMap<>();
  private volatile boolean closed;
  private long results;
  private long work;
  private long trials;
  private long reissued;
  private long failed;
  private String status;

  StudyWatch(final String bootstrapServers, final Topics topics, final String studyId, final RungSchedule rungs) {
    this.studyId = studyId;
    this.rungs = rungs;
    this.events = new Thread(() -> followEvents(bootstrapServers, topics), "chaos-events");
    this.reports = new Thread(() -> followReports(bootstrapServers, topics), "chaos-reports");
    events.setDaemon(true);
    reports.setDaemon(true);
    events.start();
    reports.start();
  }

  synchronized Progress progress() {
    return new Progress(results, work, trials, reissued, failed, status);
  }

  /** The jobs runner process {@code runnerId} has started and not yet reported the end of. */
  synchronized Set<String> jobsOf(final String runnerId) {
    return Set.copyOf(jobsByRunner.getOrDefault(runnerId, Set.of()));
  }

  private void followEvents(final String bootstrapServers, final Topics topics) {
    try (EventLog log = new EventLog(bootstrapServers, topics).fromBeginning()) {
      log.read(studyId, true, event -> {
        apply(event);
        return true;
      }, () -> !closed);
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("Following the study's events failed", e);
      }
    }
  }

  private synchronized void apply(final StudyEvent event) {
    switch (event.getType()) {
      case TRIAL_CREATED -> trials++;
      case RUNG_RESULT -> {
        results++;
        final int rung = event.getRung();
        work += rungs.resource(rung) - (rung == 0 ? 0 : rungs.resource(rung - 1));
      }
      case JOB_REISSUED -> reissued++;
      case TRIAL_FAILED -> failed++;
      case STUDY_COMPLETED -> status = event.getStatus();
      case STUDY_REJECTED -> status = "REJECTED: " + event.getProblems();
      default -> { }
    }
  }

  private void followReports(final String bootstrapServers, final Topics topics) {
    final Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kasha-chaos-reports");
    try (KafkaConsumer<String, TrialReport> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        topics.trialReports().valueSerde().deserializer())) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topics.trialReports().name(),
          Duration.ofMinutes(1)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closed) {
        try {
          for (final ConsumerRecord<String, TrialReport> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() != null && studyId.equals(record.value().getStudyId())) {
              apply(record.value());
            }
          }
        } catch (RecordDeserializationException e) {
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("Following the runners' reports failed", e);
      }
    }
  }

  /**
   * A job belongs to the runner that reported on it last, until a report ends it: a runner that lost a job's
   * lock gives it up without a report, and the next runner's report takes it over.
   */
  private synchronized void apply(final TrialReport report) {
    final String runner = report.getRunnerId() == null ? "" : report.getRunnerId();
    jobsByRunner.forEach((other, jobs) -> {
      if (!other.equals(runner)) {
        jobs.remove(report.getJobId());
      }
    });
    final Set<String> jobs = jobsByRunner.computeIfAbsent(runner, r -> new HashSet<>());
    if (report.getKind() == ReportKind.STARTED || report.getKind() == ReportKind.PROGRESS) {
      jobs.add(report.getJobId());
    } else {
      jobs.remove(report.getJobId());
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    events.join(Duration.ofSeconds(10).toMillis());
    reports.join(Duration.ofSeconds(10).toMillis());
  }
}
