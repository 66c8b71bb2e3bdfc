package io.kasha.bench.pipeline;

import io.kasha.schemas.Topic;
import io.kasha.schemas.TrialJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the trial-jobs topic as a runner's consumer could first see it ({@code read_committed}, so a
 * job counts once its scheduler transaction has committed) and records, for every job a report
 * triggered, the time from that report's record timestamp (which the scheduler gives the jobs it
 * emits) to the job's arrival here, in milliseconds of wall clock. The runners' own slots take the
 * job later, by as long as the share group takes to deliver it.
 *
 * <p>The first jobs of a study (its first {@code parallelism} trials at rung 0, attempt 1) come from
 * its create command, not from a report, and are left out. (Jobs re-issued by the lease clock would
 * carry their issue time; the benchmark's leases are far longer than a run.) No consumer group: every
 * partition is assigned and read from its end at start.
 *
 * <p>Lifecycle: {@link #run()} on its own thread until {@link #stop()}; {@link #interval()} from
 * another thread at any time.
 */
final class JobLatencyProbe implements Runnable, AutoCloseable {

  static final long MAX_LATENCY_MS = Duration.ofHours(1).toMillis();

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topic<String, TrialJob> jobs;
  private final int parallelism;
  private final Recorder latencies = new Recorder(MAX_LATENCY_MS, 3);
  private final AtomicLong received = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);

  JobLatencyProbe(final String bootstrapServers, final Topic<String, TrialJob> jobs, final int parallelism) {
    this.jobs = jobs;
    this.parallelism = parallelism;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "kasha-bench-job-probe"),
        new StringDeserializer(), new ByteArrayDeserializer());
    final List<TopicPartition> partitions = consumer.partitionsFor(jobs.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }

  @Override
  public void run() {
    while (running.get()) {
      for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        final long now = System.currentTimeMillis();
        received.incrementAndGet();
        if (triggeredByReport(record)) {
          latencies.recordValue(Math.min(Math.max(now - record.timestamp(), 0), MAX_LATENCY_MS));
        }
      }
    }
    consumer.close();
  }

  /** Latencies recorded since the previous call (or since the start). */
  Histogram interval() {
    return latencies.getIntervalHistogram();
  }

  /** Committed jobs seen so far, of every origin. */
  long received() {
    return received.get();
  }

  void stop() {
    running.set(false);
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Trial ids are {@code <study>-t<n>}, numbered from 1 in creation order, and a study creates its
   * first {@code parallelism} trials when it starts; only those need decoding to tell a first job
   * from a promotion.
   */
  private boolean triggeredByReport(final ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return false;
    }
    return trialIndex(record.key()) > parallelism
        || triggeredByReport(jobs.valueSerde().deserializer().deserialize(record.topic(), record.value()), parallelism);
  }

  /** Whether a report triggered {@code job}, rather than its study's start (see above). */
  static boolean triggeredByReport(final TrialJob job, final int parallelism) {
    return trialIndex(job.getTrialId()) > parallelism || job.getRung() > 0 || job.getAttempt() > 1;
  }

  /** n of a trial id {@code <study>-t<n>}; the largest long for any other id. */
  private static long trialIndex(final String trialId) {
    final int mark = trialId == null ? -1 : trialId.lastIndexOf("-t");
    if (mark >= 0) {
      try {
        return Long.parseLong(trialId.substring(mark + 2));
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }
    return Long.MAX_VALUE;
  }
}
