package io.kasha.runner;

import io.kasha.entrypoint.Cancellation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The studies a runner has seen end on the study-events topic, and the cancellations of the jobs its
 * slots are running: a job of an ended study is dropped before it starts, and ending a study cancels
 * its running jobs. Thread-safe: the event follower ends studies, the slots track their jobs.
 *
 * <p>Bounded: it remembers the most recent {@code capacity} ended studies. A job of a study
 * forgotten since, or ended before the runner started following, runs; the scheduler ignores its
 * reports.
 */
final class EndedStudies {

  static final int DEFAULT_CAPACITY = 10_000;

  private final Set<String> ended;
  private final Map<String, Set<Cancellation>> running = new LinkedHashMap<>();

  EndedStudies(final int capacity) {
    this.ended = java.util.Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    });
  }

  EndedStudies() {
    this(DEFAULT_CAPACITY);
  }

  /** Whether the study has ended, as far as this runner has seen. */
  synchronized boolean hasEnded(final String studyId) {
    return ended.contains(studyId);
  }

  /** Records that the study ended and cancels its tracked jobs; returns how many it cancelled. */
  int end(final String studyId) {
    final List<Cancellation> toCancel;
    synchronized (this) {
      ended.add(studyId);
      final Set<Cancellation> jobs = running.remove(studyId);
      toCancel = jobs == null ? List.of() : List.copyOf(jobs);
    }
    toCancel.forEach(Cancellation::cancel);
    return toCancel.size();
  }

  /**
   * Tracks a running job of the study until the returned handle is closed; cancels it at once if
   * the study has already ended.
   */
  Tracking track(final String studyId, final Cancellation cancellation) {
    final boolean alreadyEnded;
    synchronized (this) {
      alreadyEnded = ended.contains(studyId);
      if (!alreadyEnded) {
        running.computeIfAbsent(studyId, id -> new HashSet<>()).add(cancellation);
      }
    }
    if (alreadyEnded) {
      cancellation.cancel();
    }
    return () -> untrack(studyId, cancellation);
  }

  private synchronized void untrack(final String studyId, final Cancellation cancellation) {
    final Set<Cancellation> jobs = running.get(studyId);
    if (jobs != null && jobs.remove(cancellation) && jobs.isEmpty()) {
      running.remove(studyId);
    }
  }

  /** A tracked job; closing it stops the tracking. */
  interface Tracking extends AutoCloseable {
    @Override
    void close();
  }
}
