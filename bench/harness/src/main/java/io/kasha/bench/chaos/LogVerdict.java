package io.kasha.bench.chaos;

import io.kasha.audit.AshaAudit;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one study's whole audit log says after a campaign: its figures, and the checks that must all pass.
 *
 * <ul>
 *   <li>the study completed (status COMPLETED);
 *   <li>the audit of {@code kasha events ID --verify} ({@link AshaAudit}) finds no violation;
 *   <li>the events are numbered 1, 2, 3... with no gap and no repeat;
 *   <li>no (trial, rung) has two results;
 *   <li>no trial is lost: each created trial ended completed (top rung), stopped, failed, or paused (its last job
 *       has its result and no promotion followed), never still waiting for the result of a job.
 * </ul>
 */
record LogVerdict(Figures figures, List<Check> checks) {

  /** A trial's end as the log tells it. */
  enum TrialEnd { COMPLETED, PAUSED, STOPPED, FAILED, LOST }

  /** The log's figures. */
  record Figures(long events, long trials, long results, long reissued, long failedTrials, String status,
      String endReason, Map<TrialEnd, Long> trialEnds) {}

  /** One check: its name, whether it passed, and what it found. */
  record Check(String name, boolean passed, String detail) {}

  LogVerdict {
    checks = List.copyOf(checks);
  }

  boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  /** The verdict on {@code events}, one study's events in log order. */
  static LogVerdict of(final List<StudyEvent> events) {
    final List<Check> checks = new ArrayList<>();
    final StudyEvent end = events.stream().filter(e -> e.getType() == EventType.STUDY_COMPLETED
        || e.getType() == EventType.STUDY_REJECTED).reduce((first, second) -> second).orElse(null);
    final String status = end == null ? null
        : end.getType() == EventType.STUDY_REJECTED ? "REJECTED" : end.getStatus();
    checks.add(new Check("study completed", "COMPLETED".equals(status),
        end == null ? "no study-completed event" : status + ": " + end.getReason()));

    final List<String> violations = AshaAudit.check(events);
    checks.add(new Check("audit (kasha events --verify)", violations.isEmpty(), violations.isEmpty()
        ? events.size() + " events obey the ASHA rule" : violations.size() + " violations: " + first(violations)));

    checks.add(sequence(events));
    checks.add(duplicateResults(events));
    final Map<String, TrialEnd> ends = trialEnds(events);
    final List<String> lost = ends.entrySet().stream().filter(e -> e.getValue() == TrialEnd.LOST)
        .map(Map.Entry::getKey).toList();
    checks.add(new Check("no trial lost", lost.isEmpty(), lost.isEmpty()
        ? ends.size() + " trials ended: " + describe(count(ends)) : lost.size() + " trials lost, waiting for a result: "
        + first(lost)));

    final Figures figures = new Figures(events.size(), count(events, EventType.TRIAL_CREATED),
        count(events, EventType.RUNG_RESULT), count(events, EventType.JOB_REISSUED),
        count(events, EventType.TRIAL_FAILED), status, end == null ? null : end.getReason(), count(ends));
    return new LogVerdict(figures, checks);
  }

  private static Check sequence(final List<StudyEvent> events) {
    final List<String> breaks = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getSeq() != i + 1) {
        breaks.add("event " + (i + 1) + " of the log is numbered " + events.get(i).getSeq());
      }
    }
    return new Check("event numbers contiguous", breaks.isEmpty(), breaks.isEmpty()
        ? "1 to " + events.size() : breaks.size() + " out of place: " + first(breaks));
  }

  private static Check duplicateResults(final List<StudyEvent> events) {
    final Set<String> seen = new HashSet<>();
    final List<String> twice = new ArrayList<>();
    long results = 0;
    for (final StudyEvent event : events) {
      if (event.getType() == EventType.RUNG_RESULT) {
        results++;
        final String key = event.getTrialId() + " in rung " + event.getRung();
        if (!seen.add(key)) {
          twice.add(key + " (event " + event.getSeq() + ")");
        }
      }
    }
    return new Check("no result recorded twice", twice.isEmpty(), twice.isEmpty()
        ? results + " results, each of its own (trial, rung)" : twice.size() + " repeated: " + first(twice));
  }

  /** Each created trial's end, in the order the trials were created. */
  static Map<String, TrialEnd> trialEnds(final List<StudyEvent> events) {
    final Map<String, TrialEnd> ends = new LinkedHashMap<>();
    final Map<String, Integer> waitingIn = new LinkedHashMap<>();
    for (final StudyEvent event : events) {
      final String trial = event.getTrialId();
      switch (event.getType()) {
        case TRIAL_CREATED -> {
          ends.put(trial, TrialEnd.LOST);
          waitingIn.put(trial, 0);
        }
        case TRIAL_PROMOTED, TRIAL_CONTINUED -> waitingIn.put(trial, event.getRung() + 1);
        case RUNG_RESULT -> {
          if (Integer.valueOf(event.getRung()).equals(waitingIn.get(trial))) {
            waitingIn.remove(trial);
            ends.replace(trial, TrialEnd.PAUSED);
          }
        }
        case TRIAL_COMPLETED -> ends.replace(trial, TrialEnd.COMPLETED);
        case TRIAL_STOPPED -> ends.replace(trial, TrialEnd.STOPPED);
        case TRIAL_FAILED -> {
          waitingIn.remove(trial);
          ends.replace(trial, TrialEnd.FAILED);
        }
        default -> { }
      }
    }
    waitingIn.keySet().forEach(trial -> ends.replace(trial, TrialEnd.LOST));
    return ends;
  }

  private static Map<TrialEnd, Long> count(final Map<String, TrialEnd> ends) {
    final Map<TrialEnd, Long> counts = new TreeMap<>();
    ends.values().forEach(end -> counts.merge(end, 1L, Long::sum));
    return counts;
  }

  private static long count(final List<StudyEvent> events, final EventType type) {
    return events.stream().filter(e -> e.getType() == type).count();
  }

  private static String first(final List<String> items) {
    return String.join("; ", items.subList(0, Math.min(5, items.size()))) + (items.size() > 5 ? "; ..." : "");
  }

  /** {@code completed 3, paused 20} for the detail of a check. */
  static String describe(final Map<TrialEnd, Long> counts) {
    final List<String> parts = new ArrayList<>();
    counts.forEach((end, n) -> parts.add(end.name().toLowerCase(Locale.ROOT) + " " + n));
    return String.join(", ", parts);
  }
}
