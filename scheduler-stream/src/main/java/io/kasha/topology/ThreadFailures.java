package io.kasha.topology;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler does when a stream thread dies of an exception it could not handle: a commit
 * refused because the broker restarted mid-transaction ({@code InvalidTxnStateException}), a timeout
 * while the cluster is away. Kafka Streams' default is to shut the whole client down, which leaves
 * the process running and every study stopped; under exactly-once a replaced thread resumes its
 * tasks from their last commit, so nothing is lost or done twice. A failure that keeps coming back is
 * no passing fault: past {@code maxReplacements} within {@code window} the client shuts down, so that
 * the process exits and its supervisor sees it.
 */
final class ThreadFailures implements StreamsUncaughtExceptionHandler {

  static final int DEFAULT_MAX_REPLACEMENTS = 10;
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

  private final int maxReplacements;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Deque<Long> recent = new ArrayDeque<>();

  ThreadFailures() {
    this(DEFAULT_MAX_REPLACEMENTS, DEFAULT_WINDOW, System::nanoTime);
  }

  ThreadFailures(final int maxReplacements, final Duration window, final LongSupplier nanoClock) {
    this.maxReplacements = maxReplacements;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
    final long now = nanoClock.getAsLong();
    while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
      recent.removeFirst();
    }
    if (recent.size() >= maxReplacements) {
      LOG.error("A stream thread failed for the {}th time within {}; shutting the scheduler down", recent.size() + 1,
          Duration.ofNanos(windowNanos), exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    recent.addLast(now);
    LOG.warn("A stream thread failed; starting another in its place, which resumes its tasks from their last "
        + "commit ({} of {} within {})", recent.size(), maxReplacements, Duration.ofNanos(windowNanos), exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
