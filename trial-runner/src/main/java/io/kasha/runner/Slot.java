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
 * share.acquire.mode=record_limit}, so a slot holds the lock of at most the one job it runs.
 *
 * <p>The life of a job's record: acquired by {@code poll}; while the job runs, renewed every renew
 * interval ({@code RENEW}, committed at once with {@code commitSync}, which acquires nothing new,
 * then taken back from the next {@code poll}, which hands a renewed record to the application again);
 * {@code ACCEPT}ed once the final report is acknowledged by the broker (the acceptance goes to the
 * broker with the slot's next poll, or its close, rather than a round trip of its own: a failed
 * acceptance is only logged either way, the job being delivered again); {@code RELEASE}d if the
 * runner stops first, so that another runner gets it; {@code REJECT}ed if it does not decode.
 * Between two polls the slot always holds exactly the record of its running job, unacknowledged,
 * as explicit acknowledgement requires.
 */
final class Slot implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Slot.class);

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration REDELIVERY_POLL = Duration.ofMillis(100);
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
  private KafkaShareConsumer<String, byte[]> consumer;

  Slot(
      final String name,
      final RunnerConfig config,
      final Map<String, Object> consumerProps,
      final JobExecutor executor,
      final ReportPublisher publisher,
      final RunnerState state,
      final Executor jobThreads,
      final EndedStudies ended) {
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
  }

  @Override
  public void run() {
    try (KafkaShareConsumer<String, byte[]> shareConsumer =
        new KafkaShareConsumer<>(consumerProps, keyDeserializer, new ByteArrayDeserializer())) {
      consumer = shareConsumer;
      consumer.setAcknowledgementCommitCallback((offsets, error) -> {
        if (error != null) {
          LOG.warn("{}: acknowledging {} failed ({}); their jobs are delivered again", name, offsets, error.toString());
        }
      });
      consumer.subscribe(List.of(topic));
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.stop(name + " interrupted");
    } catch (RuntimeException e) {
      state.fail(name, e);
    }
  }

  /** Polls once and runs the job it gets, if any; true if a job was done. */
  private boolean pollOnce() throws InterruptedException {
    final ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
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
    return first != null && handle(first);
  }

  private boolean handle(final ConsumerRecord<String, byte[]> record) throws InterruptedException {
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
    LOG.info("{}: took job {} from {} (delivery {})", name, job.getJobId(), position(record),
        record.deliveryCount().map(String::valueOf).orElse("?"));
    record.deliveryCount().ifPresent(count -> state.jobTaken(job.getJobId(), count));
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
    ConsumerRecord<String, byte[]> held;
    try {
      held = holdWhileRunning(record, job, execution, cancellation);
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

  /**
   * Waits for the execution while renewing the record's lock; cancels the execution when the runner
   * stops and waits up to {@link #STOP_GRACE} more for it to end. Returns the record to acknowledge.
   */
  private ConsumerRecord<String, byte[]> holdWhileRunning(
      final ConsumerRecord<String, byte[]> record,
      final TrialJob job,
      final CompletableFuture<TrialReport> execution,
      final Cancellation cancellation) throws InterruptedException, LockLostException {
    final CompletableFuture<?> executionOrStop = CompletableFuture.anyOf(execution, state.stopSignal());
    ConsumerRecord<String, byte[]> held = record;
    long giveUpAt = Long.MAX_VALUE;
    long nextRenewal = System.nanoTime() + renewEvery().toNanos();
    while (!execution.isDone()) {
      final long now = System.nanoTime();
      if (state.stopping() && giveUpAt == Long.MAX_VALUE) {
        LOG.info("job {}: cancelling it, the runner is stopping", job.getJobId());
        cancellation.cancel();
        giveUpAt = now + STOP_GRACE.toNanos();
      }
      if (now >= giveUpAt) {
        return held;
      }
      if (now >= nextRenewal) {
        held = renew(held);
        nextRenewal = System.nanoTime() + renewEvery().toNanos();
        continue;
      }
      final CompletableFuture<?> wake = cancellation.isCancelled() ? execution : executionOrStop;
      await(wake, Math.min(nextRenewal, giveUpAt) - now);
    }
    return held;
  }

  /** Publishes the final report, waits for the broker to acknowledge it, then accepts the record. */
  private boolean finish(final ConsumerRecord<String, byte[]> record, final TrialJob job, final TrialReport report)
      throws InterruptedException {
    final CompletableFuture<?> sent = publisher.publish(report);
    final ConsumerRecord<String, byte[]> held;
    try {
      held = holdUntil(sent, record);
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
      LOG.warn("job {}: reported {}, but accepting its record failed ({}); it may run again",
          job.getJobId(), report.getKind(), e.toString());
    }
    return true;
  }

  /** Waits for {@code task} while renewing the record's lock; returns the record to acknowledge. */
  private ConsumerRecord<String, byte[]> holdUntil(
      final CompletableFuture<?> task, final ConsumerRecord<String, byte[]> record)
      throws InterruptedException, LockLostException {
    ConsumerRecord<String, byte[]> held = record;
    long nextRenewal = System.nanoTime() + renewEvery().toNanos();
    while (!task.isDone()) {
      final long now = System.nanoTime();
      if (now >= nextRenewal) {
        held = renew(held);
        nextRenewal = System.nanoTime() + renewEvery().toNanos();
      } else {
        await(task, nextRenewal - now);
      }
    }
    return held;
  }

  /**
   * Renews the lock of {@code held} and takes the renewed record back from the consumer, which
   * delivers it again after a renewal. The renewal is committed with {@code commitSync} rather than
   * on the next poll, so that no fetch for new records goes with it.
   */
  private ConsumerRecord<String, byte[]> renew(final ConsumerRecord<String, byte[]> held) throws LockLostException {
    final Optional<String> error = acknowledge(held, AcknowledgeType.RENEW);
    if (error.isPresent()) {
      throw new LockLostException("renewal failed: " + error.get());
    }
    final long deadline = System.nanoTime() + lockDuration().toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerRecord<String, byte[]> renewed = null;
      for (final ConsumerRecord<String, byte[]> record : consumer.poll(REDELIVERY_POLL)) {
        if (renewed == null && samePosition(record, held)) {
          renewed = record;
        } else {
          release(record, "the slot is busy");
        }
      }
      if (renewed != null) {
        return renewed;
      }
    }
    throw new LockLostException("the renewed record was not delivered back within " + lockDuration());
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
      return errorFor(consumer.commitSync(), record).map(Throwable::toString);
    } catch (IllegalStateException | KafkaException e) {
      return Optional.of(e.toString());
    }
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

  private static Optional<KafkaException> errorFor(
      final Map<TopicIdPartition, Optional<KafkaException>> results, final ConsumerRecord<?, ?> record) {
    return results.entrySet().stream()
        .filter(result -> result.getKey().topic().equals(record.topic())
            && result.getKey().partition() == record.partition())
        .map(Map.Entry::getValue)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static boolean samePosition(final ConsumerRecord<?, ?> a, final ConsumerRecord<?, ?> b) {
    return a.topic().equals(b.topic()) && a.partition() == b.partition() && a.offset() == b.offset();
  }

  private static String position(final ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
