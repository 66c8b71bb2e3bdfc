package io.kasha.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How many trial jobs wait for the runners' share group, computed from what the cluster knows, so every
 * scheduler instance (and any other process) gets the same figure: the autoscaling signal
 * {@code kasha_jobs_waiting}. Per partition of the trial-jobs topic:
 *
 * <ul>
 *   <li>the share group's start offset and lag ({@link Admin#listShareGroupOffsets}); before any runner
 *       has read a partition the group has no state for it, and a runner will start at its earliest
 *       offset ({@code share.auto.offset.reset=earliest}, which runners set);
 *   <li>the jobs committed between that start offset and the end offset ({@code read_committed}), counted
 *       by reading them with a plain consumer (no group), a partition's new records only at each refresh.
 * </ul>
 *
 * The partition's figure is the smaller of the two. The broker's lag counts every offset from the start
 * offset to the end that the group has not finished, and so also the transaction markers (the scheduler
 * commits a transaction every 100 ms, each leaving a marker) and aborted records it has not yet stepped
 * over; the committed jobs counted by reading include those the group has finished but that lie beyond
 * a job still in flight. Both bound the unfinished jobs from above, and both are exact in the two cases
 * autoscaling hinges on: no runner has taken anything (scale from zero), and the queue is empty
 * (scale to zero). A job counts until a runner has finished with it: queued, or running (its record
 * acquired); the share-group offsets tell no more, and a runner busy with the last job must not be
 * scaled away.
 *
 * <p>Lifecycle: {@link #refresh} from one thread at a time (a scheduler refreshes every few seconds, off
 * its stream threads); {@link #waiting} and the gauge from any thread; {@link #close} once.
 */
public final class JobsWaiting implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The longest one refresh reads new job records; what is left unread counts in full until read. */
  private static final Duration READ_BUDGET = Duration.ofSeconds(5);

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final String topic;
  private final String shareGroup;
  private final Map<TopicPartition, Window> windows = new HashMap<>();
  private final AtomicLong waiting = new AtomicLong(-1);

  /**
   * @param clientProps settings of the admin client and the reader (bootstrap servers, security); no
   *     value is logged
   * @param topic the trial-jobs topic
   * @param shareGroup the runners' share group
   */
  public JobsWaiting(final Map<String, Object> clientProps, final String topic, final String shareGroup) {
    this.admin = Admin.create(clientProps);
    final Map<String, Object> readerProps = new HashMap<>(clientProps);
    readerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
    readerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    readerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
    readerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientProps.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "kasha")
        + "-jobs-reader");
    this.reader = new KafkaConsumer<>(readerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.shareGroup = shareGroup;
  }

  /** For a scheduler: its clients' settings (the admin client's, Streams prefixes applied). */
  public static JobsWaiting forScheduler(final Properties streamsConfig, final String topic, final String shareGroup) {
    return new JobsWaiting(new StreamsConfig(streamsConfig).getAdminConfigs("kasha-jobs-waiting"), topic, shareGroup);
  }

  /** Registers the gauge {@code kasha_jobs_waiting}: the last refresh's figure, NaN before the first. */
  public void bindTo(final MeterRegistry registry) {
    Gauge.builder("kasha.jobs.waiting", waiting, value -> value.get() < 0 ? Double.NaN : value.get())
        .description("Trial jobs on the trial-jobs topic that the runners' share group has not finished: "
            + "queued or running; from the cluster's offsets, the same on every scheduler instance")
        .register(registry);
  }

  /** The figure of the last successful {@link #refresh}; -1 before the first. */
  public long waiting() {
    return waiting.get();
  }

  /**
   * Asks the cluster again and returns the new figure.
   *
   * @throws IllegalStateException if the cluster did not answer in time (the previous figure stays)
   */
  public long refresh() throws InterruptedException {
    final List<TopicPartition> partitions = partitions();
    final Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
    final Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    final Map<TopicPartition, SharePartitionOffsetInfo> group = get(admin.listShareGroupOffsets(Map.of(shareGroup,
        new ListShareGroupOffsetsSpec().topicPartitions(partitions))).partitionsToOffsetInfo(shareGroup));
    windows.keySet().retainAll(partitions);
    long total = 0;
    final long readUntil = System.nanoTime() + READ_BUDGET.toNanos();
    for (final TopicPartition partition : partitions) {
      final long end = ends.get(partition);
      final SharePartitionOffsetInfo state = group.get(partition);
      final long start = Math.max(earliest.get(partition), state == null ? 0 : state.startOffset());
      final long lag = state == null ? end - start : state.lag().orElse(end - start);
      final long jobs = windows.computeIfAbsent(partition, p -> new Window()).jobs(partition, start, end, readUntil);
      total += Math.max(0, Math.min(lag, jobs));
    }
    waiting.set(total);
    return total;
  }

  private List<TopicPartition> partitions() throws InterruptedException {
    return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
  }

  private Map<TopicPartition, Long> offsets(final List<TopicPartition> partitions, final OffsetSpec spec)
      throws InterruptedException {
    final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    final Map<TopicPartition, Long> offsets = new HashMap<>();
    get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the offsets of the trial jobs: "
          + (e.getCause() == null ? e : e.getCause()), e);
    }
  }

  @Override
  public void close() {
    reader.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }

  /**
   * The committed job records of one partition from the group's start offset on: their offsets, read up
   * to {@code readTo}; the offsets between are transaction markers and aborted records.
   */
  private final class Window {
    private final ArrayDeque<Long> jobOffsets = new ArrayDeque<>();
    private long readTo = -1;

    /** The committed jobs in [start, end): read ones, and every offset not yet read. */
    long jobs(final TopicPartition partition, final long start, final long end, final long readUntilNanos) {
      if (readTo < start || readTo > end) {
        jobOffsets.clear();
        readTo = start;
      }
      while (!jobOffsets.isEmpty() && jobOffsets.peekFirst() < start) {
        jobOffsets.pollFirst();
      }
      read(partition, end, readUntilNanos);
      return jobOffsets.size() + (end - readTo);
    }

    private void read(final TopicPartition partition, final long end, final long readUntilNanos) {
      if (readTo >= end) {
        return;
      }
      reader.assign(List.of(partition));
      reader.seek(partition, readTo);
      while (readTo < end && System.nanoTime() < readUntilNanos) {
        for (final ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (record.offset() < end) {
            jobOffsets.addLast(record.offset());
          }
        }
        // the position steps over transaction markers and aborted records, which poll does not return
        readTo = Math.min(end, reader.position(partition));
      }
      reader.assign(List.of());
    }
  }
}
