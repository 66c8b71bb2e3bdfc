package io.kasha.runner;

import io.kasha.entrypoint.Cancellation;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job at a time, from one share consumer of its own: {@code max.poll.records=1} and {@code
 * share.acquire.mode=record_limit}, so a poll acquires at most one record.
 *
 * <p>The life of a job's record:
 *
 * <ol>
 *   <li>Acquired by {@code poll}. A record that does not decode is {@code REJECT}ed, one of a study
 *       that has ended is {@code ACCEPT}ed unrun; either is committed at once.
 *   <li>If the slot has not polled for new records for half a lock duration (it was running a long
 *       job), the record may have waited that long in the consumer's fetch buffer, its lock running
 *       out: its lock is renewed once before the job starts, and the job is not run if that fails.
 *   <li>While the job runs, and while its final report is sent, the lock is renewed every renew
 *       interval: {@code RENEW}, committed with {@code commitSync}, then one {@code poll}, which hands
 *       the renewed record back (it must be acknowledged again as the record of the latest poll).
 *       The renewal must be complete, as {@code commitSync}'s result says, before that poll: the
 *       consumer hands a renewed record back from memory, but a poll made while a renewal is still
 *       pending, or once the record has been dropped, asks the broker for more records, and would
 *       acquire a queued job the slot cannot run. If the record does not come back, the lock is
 *       taken as lost (the job is cancelled and delivered again) rather than polled for; a job
 *       acquired instead is released, once.
 *   <li>{@code ACCEPT}ed once the final report is acknowledged by the broker; the acceptance goes
 *       to the broker with the slot's next poll, or its close, rather than a round trip of its own
 *       (a failed acceptance is only logged either way, the job being delivered again).
 *   <li>{@code RELEASE}d if the runner stops first, so that another runner gets it.
 * </ol>
 *
 * Between two polls the slot holds exactly the record of its running job, unacknowledged, as
 * explicit acknowledgement requires.
 *
 * <p>Longer than the project's other classes on purpose: it is the one state machine of the life
 * above, whose steps share the consumer and the held record; split, the lock protocol would be spread
 * over several classes.
 */
final class Slot implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Slot.class);

  private static final Duration DEFAULT_LOCK_DURATION = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final String name;
  private final String topic;
  private final Map<String, Object> consumerProps;
  private final Deserializer<String> keyDeserializer;
  private final Deserializer<TrialJob> jobDeserializer;
  private final Duration renewInterval;
  private final JobExecutor executor;
  private final TrialReports reports;
  private final ReportPublisher publisher;
  private final RunnerState state;
  private final Executor jobThreads;
  private final EndedStudies ended;
  private final RunnerMetrics metrics;
  private KafkaShareConsumer<String, byte[]> consumer;
  private ShareConsumerMetrics consumerMetrics;
  /** Whether the slot's consumer has polled once: from then on the slot counts as taking jobs. */
  private boolean polled;
  /** When the slot last started a poll that could fetch new records. */
  private long lastFetchingPoll = System.nanoTime();

  Slot(
      final String name,
      final RunnerConfig config,
      final Map<String, Object> consumerProps,
      final JobExecutor executor,
      final ReportPublisher publisher,
      final RunnerState state,
      final Executor jobThreads,
      final EndedStudies ended,
      final RunnerMetrics metrics) {
    this.name = name;
    this.topic = config.topics().trialJobs().name();
    this.consumerProps = consumerProps;
    this.keyDeserializer = config.topics().trialJobs().keySerde().deserializer();
    this.jobDeserializer = config.topics().trialJobs().valueSerde().deserializer();
    this.renewInterval = config.renewInterval();
    this.executor = executor;
    this.reports = new TrialReports(config.runnerId());
    this.publisher = publisher;
    this.state = state;
    this.jobThreads = jobThreads;
    this.ended = ended;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    try (KafkaShareConsumer<String, byte[]> shareConsumer =
        new KafkaShareConsumer<>(consumerProps, keyDeserializer, new ByteArrayDeserializer());
         ShareConsumerMetrics bound = metrics.bind(shareConsumer)) {
      consumer = shareConsumer;
      consumerMetrics = bound;
      consumer.setAcknowledgementCommitCallback((offsets, error) -> {
        if (error != null) {
          state.acknowledgementFailed();
          LOG.warn("{}: acknowledging {} failed ({}); their jobs are delivered again", name, offsets, error.toString());
        }
      });
      consumer.subscribe(List.of(topic));
      try {
        takeJobs();
      } finally {
        if (polled) {
          state.slotStopped();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.stop(name + " interrupted");
    } catch (RuntimeException e) {
      state.fail(name, e);
    }
  }

  private void takeJobs() throws InterruptedException {
    while (!state.stopping() && state.tryClaim()) {
      boolean done = false;
      try {
        done = pollOnce();
      } finally {
        if (!done) {
          state.unclaim();
        }
      }
    }
  }

  /** Polls once and runs the job it gets, if any; true if a job was done. */
  private boolean pollOnce() throws InterruptedException {
    final long previousFetchingPoll = lastFetchingPoll;
    lastFetchingPoll = System.nanoTime();
    final ConsumerRecords<String, byte[]> records = consumer.poll(TrialRunner.SLOT_POLL_TIMEOUT);
    consumerMetrics.refresh();
    if (!polled) {
      polled = true;
      state.slotPolling();
    }
    if (records.isEmpty()) {
      state.stopIfIdle();
      return false;
    }
    ConsumerRecord<String, byte[]> first = null;
    for (final ConsumerRecord<String, byte[]> record : records) {
      if (first == null && !state.stopping()) {
        first = record;
      } else {
        release(record, "the slot is " + (state.stopping() ? "stopping" : "busy"));
      }
    }
    return first != null && handle(first, lastFetchingPoll - previousFetchingPoll);
  }

  /**
   * Runs the job of {@code record}, which came from a poll started {@code sincePreviousPoll} nanoseconds
   * after the slot's previous poll for new records. The consumer may have acquired it at any time
   * since then and kept it in its fetch buffer, where its lock runs out unrenewed.
   */
  private boolean handle(final ConsumerRecord<String, byte[]> taken, final long sincePreviousPoll)
      throws InterruptedException {
    ConsumerRecord<String, byte[]> record = taken;
    final TrialJob job;
    try {
      job = record.value() == null ? null : jobDeserializer.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      reject(record, e.getMessage());
      return false;
    }
    if (job == null) {
      reject(record, "no value");
      return false;
    }
    if (ended.hasEnded(job.getStudyId())) {
      drop(record, job);
      return false;
    }
    if (sincePreviousPoll >= lockDuration().dividedBy(2).toNanos()) {
      try {
        record = renew(record);
      } catch (LockLostException e) {
        LOG.warn("{}: not running job {} from {}: it may have waited out its lock in the consumer ({}); it is"
            + " delivered again", name, job.getJobId(), position(record), e.getMessage());
        return false;
      }
    }
    // one line per job would flood the log of a runner taking thousands of short jobs a second: first
    // deliveries are counted in the runner's periodic summary, redeliveries are worth a line each
    final int delivery = record.deliveryCount().orElse((short) 1);
    if (delivery > 1) {
      LOG.info("{}: took job {} from {} (delivery {})", name, job.getJobId(), position(record), delivery);
    } else {
      LOG.debug("{}: took job {} from {} (delivery 1)", name, job.getJobId(), position(record));
    }
    state.jobTaken(job, delivery, Math.max(0, System.currentTimeMillis() - record.timestamp()));
    state.jobStarted();
    boolean done = false;
    try {
      done = run(record, job);
      return done;
    } finally {
      state.jobEnded(done);
    }
  }

  /** A job of a study that has ended: accepted without running, so that no runner gets it again. */
  private void drop(final ConsumerRecord<String, byte[]> record, final TrialJob job) {
    acknowledge(record, AcknowledgeType.ACCEPT).ifPresentOrElse(
        error -> LOG.warn("{}: cannot drop job {} of ended study {} ({}); it is delivered again", name,
            job.getJobId(), job.getStudyId(), error),
        () -> LOG.info("{}: dropped job {}: study {} has ended", name, job.getJobId(), job.getStudyId()));
  }

  /** Runs the job while holding its record; true if it was finished and accepted. */
  private boolean run(final ConsumerRecord<String, byte[]> record, final TrialJob job) throws InterruptedException {
    final Cancellation cancellation = new Cancellation();
    try (EndedStudies.Tracking tracking = ended.track(job.getStudyId(), cancellation)) {
      return run(record, job, cancellation);
    }
  }

  private boolean run(final ConsumerRecord<String, byte[]> record, final TrialJob job, final Cancellation cancellation)
      throws InterruptedException {
    final CompletableFuture<TrialReport> execution = CompletableFuture.supplyAsync(() -> {
      try {
        return executor.execute(job, cancellation, publisher::publishLater);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, jobThread(job));
    final ConsumerRecord<String, byte[]> held;
    try {
      held = hold(record, execution, () -> {
        LOG.info("job {}: cancelling it, the runner is stopping", job.getJobId());
        cancellation.cancel();
      });
    } catch (LockLostException e) {
      cancellation.cancel();
      LOG.warn("job {}: lost its lock ({}); cancelled here, it will be delivered again",
          job.getJobId(), e.getMessage());
      return false;
    } catch (InterruptedException | RuntimeException e) {
      cancellation.cancel();
      throw e;
    }
    if (!execution.isDone()) {
      LOG.warn("job {}: still running {} after it was cancelled; released anyway", job.getJobId(), STOP_GRACE);
      release(held, "the runner is stopping");
      return false;
    }
    final TrialReport report = finalReport(job, execution);
    if (cancellation.isCancelled() && report.getFailureKind() == FailureKind.CANCELLED
        && !ended.hasEnded(job.getStudyId())) {
      release(held, "the runner is stopping");
      return false;
    }
    return finish(held, job, report);
  }

  /** Publishes the final report, waits for the broker to acknowledge it, then accepts the record. */
  private boolean finish(final ConsumerRecord<String, byte[]> record, final TrialJob job, final TrialReport report)
      throws InterruptedException {
    final CompletableFuture<?> sent = publisher.publish(report);
    final ConsumerRecord<String, byte[]> held;
    try {
      held = hold(record, sent, null);
    } catch (LockLostException e) {
      LOG.warn("job {}: lost its lock while its {} report was sent ({}); it will be delivered again",
          job.getJobId(), report.getKind(), e.getMessage());
      return false;
    }
    if (sent.isCompletedExceptionally()) {
      release(held, "its final report could not be published");
      return false;
    }
    try {
      consumer.acknowledge(held, AcknowledgeType.ACCEPT);
      LOG.debug("job {}: accepted {}", job.getJobId(), position(held));
    } catch (IllegalStateException | KafkaException e) {
      state.acknowledgementFailed();
      LOG.warn("job {}: reported {}, but accepting its record failed ({}); it may run again",
          job.getJobId(), report.getKind(), e.toString());
    }
    return true;
  }

  /**
   * Waits for {@code task} while renewing the record's lock every renew interval; returns the record
   * to acknowledge, the one the latest poll handed out. If {@code onStop} is given, it is run once
   * when the runner stops, and the wait ends {@link #STOP_GRACE} later if {@code task} is not done
   * by then.
   */
  private ConsumerRecord<String, byte[]> hold(
      final ConsumerRecord<String, byte[]> record, final CompletableFuture<?> task, final Runnable onStop)
      throws InterruptedException, LockLostException {
    final CompletableFuture<?> taskOrStop = onStop == null ? task : CompletableFuture.anyOf(task, state.stopSignal());
    ConsumerRecord<String, byte[]> held = record;
    long giveUpAt = Long.MAX_VALUE;
    long nextRenewal = System.nanoTime() + renewEvery().toNanos();
    while (!task.isDone()) {
      final long now = System.nanoTime();
      if (onStop != null && giveUpAt == Long.MAX_VALUE && state.stopping()) {
        onStop.run();
        giveUpAt = now + STOP_GRACE.toNanos();
      }
      if (now >= giveUpAt) {
        return held;
      }
      if (now >= nextRenewal) {
        held = renew(held);
        nextRenewal = System.nanoTime() + renewEvery().toNanos();
      } else {
        await(giveUpAt == Long.MAX_VALUE ? taskOrStop : task, Math.min(nextRenewal, giveUpAt) - now);
      }
    }
    return held;
  }

  /**
   * Renews the lock of {@code held} and takes the renewed record back from the consumer, which hands
   * a renewed record to the application again. The renewal is committed with {@code commitSync} and
   * must have succeeded before the slot polls: the consumer then returns the renewed record from
   * memory, without fetching. A poll while the renewal is pending, or after it failed, would ask the
   * broker for more records and acquire a queued job (Kafka 4.3.1, {@code ShareConsumerImpl.collect}),
   * so the slot polls once only: a record other than {@code held} means the renewal was lost.
   */
  private ConsumerRecord<String, byte[]> renew(final ConsumerRecord<String, byte[]> held) throws LockLostException {
    final Optional<String> error = renewal(held);
    if (error.isPresent()) {
      throw new LockLostException("renewal failed: " + error.get());
    }
    final ConsumerRecords<String, byte[]> records;
    try {
      records = consumer.poll(Duration.ZERO);
    } catch (IllegalStateException | KafkaException e) {
      throw new LockLostException("taking the renewed record back failed: " + e);
    }
    ConsumerRecord<String, byte[]> renewed = null;
    for (final ConsumerRecord<String, byte[]> record : records) {
      if (renewed == null && samePosition(record, held)) {
        renewed = record;
      } else {
        release(record, "the slot is busy");
      }
    }
    if (renewed == null) {
      throw new LockLostException("the consumer did not hand the renewed record back");
    }
    return renewed;
  }

  /** Commits a {@code RENEW} of {@code record}; returns what went wrong unless the broker confirmed it. */
  private Optional<String> renewal(final ConsumerRecord<String, byte[]> record) {
    try {
      consumer.acknowledge(record, AcknowledgeType.RENEW);
      final Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync();
      return resultFor(results, record)
          .map(result -> result.map(Throwable::toString))
          .orElseGet(() -> failed("no result for its partition in " + results.keySet()));
    } catch (IllegalStateException | KafkaException e) {
      return failed(e.toString());
    }
  }

  private void release(final ConsumerRecord<String, byte[]> record, final String reason) {
    acknowledge(record, AcknowledgeType.RELEASE).ifPresentOrElse(
        error -> LOG.warn("{}: cannot release {} ({}); it is delivered again when its lock expires",
            name, position(record), error),
        () -> {
          state.recordReleased();
          LOG.info("{}: released {} for another runner: {}", name, position(record), reason);
        });
  }

  private void reject(final ConsumerRecord<String, byte[]> record, final String reason) {
    LOG.warn("{}: rejected the undecodable record {}: {}", name, position(record), reason);
    acknowledge(record, AcknowledgeType.REJECT).ifPresent(error ->
        LOG.warn("{}: cannot reject {} ({})", name, position(record), error));
  }

  /**
   * Acknowledges {@code record} and commits at once; returns what went wrong, if anything. A failed
   * acknowledgement is never fatal: the record's lock expires and it is delivered again.
   */
  private Optional<String> acknowledge(final ConsumerRecord<String, byte[]> record, final AcknowledgeType type) {
    try {
      consumer.acknowledge(record, type);
      return resultFor(consumer.commitSync(), record).flatMap(result -> result).map(Throwable::toString);
    } catch (IllegalStateException | KafkaException e) {
      return failed(e.toString());
    }
  }

  /**
   * An acknowledgement that failed without reaching the acknowledgement commit callback, which counts
   * the failures the broker reports.
   */
  private Optional<String> failed(final String error) {
    state.acknowledgementFailed();
    return Optional.of(error);
  }

  private TrialReport finalReport(final TrialJob job, final CompletableFuture<TrialReport> execution) {
    try {
      return execution.join();
    } catch (CompletionException e) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.error("job {}: the runner failed while running it", job.getJobId(), cause);
      return reports.failed(job, FailureKind.ERROR, "runner error: " + cause);
    }
  }

  private Duration renewEvery() {
    final Duration halfLock = lockDuration().dividedBy(2);
    return renewInterval.compareTo(halfLock) < 0 ? renewInterval : halfLock;
  }

  private Duration lockDuration() {
    return consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(DEFAULT_LOCK_DURATION);
  }

  /** Runs a task on one of the runner's job threads, named after the job while it runs. */
  private Executor jobThread(final TrialJob job) {
    return task -> jobThreads.execute(() -> {
      final Thread thread = Thread.currentThread();
      final String idle = thread.getName();
      thread.setName(name + "-job-" + job.getJobId());
      try {
        task.run();
      } finally {
        thread.setName(idle);
      }
    });
  }

  private static void await(final CompletableFuture<?> future, final long nanos) throws InterruptedException {
    try {
      future.get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the caller looks at the future's state
    }
  }

  /** The result {@code commitSync} gave for the partition of {@code record}, if it gave one. */
  private static Optional<Optional<KafkaException>> resultFor(
      final Map<TopicIdPartition, Optional<KafkaException>> results, final ConsumerRecord<?, ?> record) {
    return results.entrySet().stream()
        .filter(result -> result.getKey().topic().equals(record.topic())
            && result.getKey().partition() == record.partition())
        .map(Map.Entry::getValue)
        .findFirst();
  }

  private static boolean samePosition(final ConsumerRecord<?, ?> a, final ConsumerRecord<?, ?> b) {
    return a.topic().equals(b.topic()) && a.partition() == b.partition() && a.offset() == b.offset();
  }

  private static String position(final ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
