package io.kasha.runner;

import io.kasha.schemas.TrialJob;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the slots of one runner share: the stop signal, the jobs still allowed by {@code maxJobs},
 * how long the runner has been idle, and what the broker delivered: the delivery count each job was
 * taken with, how many records the slots released and how many acknowledgements failed. Thread-safe.
 *
 * <p>A slot claims one job before it polls and gives the claim back if it gets none, so the slots
 * together never take more jobs than {@code maxJobs} allows.
 */
final class RunnerState {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerState.class);

  private final CompletableFuture<Void> stopSignal = new CompletableFuture<>();
  private final AtomicLong claimsLeft;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger polling = new AtomicInteger();
  private final LongSupplier nanoClock;
  private final AtomicLong lastActivityNanos;
  private final AtomicLong jobsDone = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong failedAcknowledgements = new AtomicLong();
  private final AtomicLong jobsTaken = new AtomicLong();
  private final AtomicLong redeliveredJobsTaken = new AtomicLong();
  private volatile ObjLongConsumer<TrialJob> jobWaits = (job, millis) -> { };
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final Optional<Duration> exitWhenIdle;

  RunnerState(final OptionalLong maxJobs, final Optional<Duration> exitWhenIdle) {
    this(maxJobs, exitWhenIdle, System::nanoTime);
  }

  /** As above, its idle time read from {@code nanoClock}, a {@link System#nanoTime()} for tests. */
  RunnerState(final OptionalLong maxJobs, final Optional<Duration> exitWhenIdle, final LongSupplier nanoClock) {
    this.claimsLeft = new AtomicLong(maxJobs.orElse(Long.MAX_VALUE));
    this.exitWhenIdle = exitWhenIdle;
    this.nanoClock = nanoClock;
    this.lastActivityNanos = new AtomicLong(nanoClock.getAsLong());
  }

  void stop(final String reason) {
    if (stopSignal.complete(null)) {
      LOG.info("stopping: {}", reason);
    }
  }

  /** Ends the runner without a reason worth logging: it is done. */
  void finish() {
    stopSignal.complete(null);
  }

  /** Starts the idle clock: a runner that never gets a job exits {@code exitWhenIdle} after this. */
  void started() {
    lastActivityNanos.set(nanoClock.getAsLong());
  }

  boolean stopping() {
    return stopSignal.isDone();
  }

  /** Completes once {@link #stop} is called. */
  CompletableFuture<Void> stopSignal() {
    return stopSignal.copy();
  }

  boolean tryClaim() {
    return claimsLeft.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
  }

  void unclaim() {
    claimsLeft.incrementAndGet();
  }

  void jobStarted() {
    running.incrementAndGet();
    lastActivityNanos.set(nanoClock.getAsLong());
  }

  void jobEnded(final boolean done) {
    if (done) {
      jobsDone.incrementAndGet();
    }
    lastActivityNanos.set(nanoClock.getAsLong());
    running.decrementAndGet();
  }

  long jobsDone() {
    return jobsDone.get();
  }

  /** Jobs running now. */
  int running() {
    return running.get();
  }

  /** A slot's share consumer is subscribed and has polled: the slot takes jobs. */
  void slotPolling() {
    polling.incrementAndGet();
  }

  /** A slot that was {@linkplain #slotPolling polling} has stopped. */
  void slotStopped() {
    polling.decrementAndGet();
  }

  /** Slots whose share consumers poll. */
  int pollingSlots() {
    return polling.get();
  }

  /** Told of each job taken: how long after its record was written. */
  void observeJobWaits(final ObjLongConsumer<TrialJob> observer) {
    jobWaits = observer;
  }

  /**
   * A slot took a job to run from a record delivered for the {@code deliveryCount}th time,
   * {@code waitedMillis} after the record's timestamp.
   */
  void jobTaken(final TrialJob job, final int deliveryCount, final long waitedMillis) {
    jobWaits.accept(job, waitedMillis);
    jobsTaken.incrementAndGet();
    if (deliveryCount > 1) {
      redeliveredJobsTaken.incrementAndGet();
    }
  }

  long jobsTaken() {
    return jobsTaken.get();
  }

  /** Jobs taken from a record delivered before: to another runner, or released, or whose lock ran out. */
  long redeliveredJobsTaken() {
    return redeliveredJobsTaken.get();
  }

  /** A slot released a record for other runners. */
  void recordReleased() {
    released.incrementAndGet();
  }

  long recordsReleased() {
    return released.get();
  }

  /** An acknowledgement (or renewal) was refused by the broker or could not be sent. */
  void acknowledgementFailed() {
    failedAcknowledgements.incrementAndGet();
  }

  long failedAcknowledgements() {
    return failedAcknowledgements.get();
  }

  /** Stops the runner if it is configured to exit when idle and no job has run for that long. */
  void stopIfIdle() {
    exitWhenIdle.ifPresent(idle -> {
      if (running.get() == 0 && nanoClock.getAsLong() - lastActivityNanos.get() >= idle.toNanos()) {
        stop("no job for " + idle);
      }
    });
  }

  void fail(final String slot, final Exception error) {
    final RuntimeException wrapped = error instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException(slot + " failed: " + error, error);
    if (failure.compareAndSet(null, wrapped)) {
      LOG.error("{} failed; stopping the runner", slot, error);
    }
    stop(slot + " failed");
  }

  Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure.get());
  }
}
