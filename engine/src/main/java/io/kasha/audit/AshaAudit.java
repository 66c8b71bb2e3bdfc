package io.kasha.audit;

import io.kasha.method.Direction;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays one study's audit log and checks every decision in it against the ASHA rule, recomputed
 * from scratch by sorting (deliberately the slow, obvious way, independent of the scheduler's
 * indexes):
 *
 * <ul>
 *   <li>events are numbered 1, 2, 3... with no gap and no repeat (no decision lost or repeated);
 *   <li>a trial is promoted out of rung k only from among the best {@code floor(n_k / eta)} results of
 *       rung k, as the best one not yet promoted, and only when no higher rung had a promotable result;
 *   <li>a new trial is created only when no rung had a promotable result;
 *   <li>a trial records at most one result per rung, and only in a rung it was sent to.
 * </ul>
 *
 * Ranking: the study's mode folded into the sign, NaN and infinities last, ties to the earlier result.
 */
public final class AshaAudit {

  /** {@code tier}: 0 finite, 1 infinite, 2 NaN; {@code score}: the metric with the mode folded in. */
  private record Result(String trialId, int tier, double score, long arrival) {}

  private static final Comparator<Result> BEST_FIRST = Comparator.comparingInt((Result r) -> r.tier)
      .thenComparingDouble(r -> r.score)
      .thenComparingLong(r -> r.arrival);

  private final List<String> violations = new ArrayList<>();
  private List<List<Result>> rungs;
  private List<Set<String>> promoted;
  private final Set<String> sentTo = new HashSet<>();
  private StudySpec spec;
  private long arrivals;
  private long expectedSeq = 1;

  private AshaAudit() {}

  /** Every violation found in {@code events} (one study's events in log order); empty if none. */
  public static List<String> check(final List<StudyEvent> events) {
    final AshaAudit audit = new AshaAudit();
    events.forEach(audit::apply);
    return audit.violations;
  }

  private void apply(final StudyEvent event) {
    if (event.getSeq() != expectedSeq) {
      violations.add("event " + event.getSeq() + " (" + event.getType() + ") where " + expectedSeq + " was expected");
    }
    expectedSeq = event.getSeq() + 1;
    if (event.getType() == EventType.STUDY_ACCEPTED) {
      accept(event.getSpec());
      return;
    }
    if (spec == null) {
      return;
    }
    switch (event.getType()) {
      case TRIAL_CREATED -> {
        requireNothingPromotable(event, rungs.size() - 2);
        sentTo.add(event.getTrialId() + "@0");
      }
      case RUNG_RESULT -> record(event);
      case TRIAL_PROMOTED -> promote(event);
      default -> { }
    }
  }

  private void accept(final StudySpec accepted) {
    spec = accepted;
    int count = 0;
    for (long r = accepted.getMinResource() * pow(accepted.getEta(), accepted.getEarlyStoppingRate());
         r < accepted.getMaxResource(); r *= accepted.getEta()) {
      count++;
    }
    rungs = new ArrayList<>();
    promoted = new ArrayList<>();
    for (int k = 0; k <= count; k++) {
      rungs.add(new ArrayList<>());
      promoted.add(new HashSet<>());
    }
  }

  private void record(final StudyEvent event) {
    final int rung = event.getRung();
    final String trial = event.getTrialId();
    if (!sentTo.contains(trial + "@" + rung)) {
      violations.add("event " + event.getSeq() + ": " + trial + " has a result in rung " + rung
          + " but was never sent there");
    }
    if (rungs.get(rung).stream().anyMatch(r -> r.trialId.equals(trial))) {
      violations.add("event " + event.getSeq() + ": second result of " + trial + " in rung " + rung);
      return;
    }
    final double metric = event.getMetric() == null ? Double.NaN : event.getMetric();
    final int tier = Double.isNaN(metric) ? 2 : Double.isInfinite(metric) ? 1 : 0;
    final double score = Double.isNaN(metric) ? 0 : Direction.of(spec.getMode()).loss(metric);
    rungs.get(rung).add(new Result(trial, tier, score, arrivals++));
  }

  private void promote(final StudyEvent event) {
    final int rung = event.getRung();
    final String trial = event.getTrialId();
    final List<Result> unpromotedTop = unpromotedCandidates(rung);
    if (unpromotedTop.isEmpty() || !unpromotedTop.get(0).trialId.equals(trial)) {
      violations.add("event " + event.getSeq() + ": " + trial + " promoted out of rung " + rung + " but the best "
          + "not-yet-promoted trial among the top floor(" + rungs.get(rung).size() + "/" + spec.getEta()
          + ") was " + (unpromotedTop.isEmpty() ? "none" : unpromotedTop.get(0).trialId));
    }
    requireNothingPromotable(event, rungs.size() - 2, rung);
    promoted.get(rung).add(trial);
    sentTo.add(trial + "@" + (rung + 1));
  }

  private void requireNothingPromotable(final StudyEvent event, final int fromRung) {
    requireNothingPromotable(event, fromRung, -1);
  }

  /** No rung above {@code belowRung}, from {@code fromRung} down, may hold a promotable result. */
  private void requireNothingPromotable(final StudyEvent event, final int fromRung, final int belowRung) {
    for (int k = fromRung; k > belowRung; k--) {
      if (!unpromotedCandidates(k).isEmpty()) {
        violations.add("event " + event.getSeq() + " (" + event.getType() + "): rung " + k
            + " had a promotable trial, " + unpromotedCandidates(k).get(0).trialId);
        return;
      }
    }
  }

  private List<Result> unpromotedCandidates(final int rung) {
    final List<Result> sorted = new ArrayList<>(rungs.get(rung));
    sorted.sort(BEST_FIRST);
    final int top = sorted.size() / spec.getEta();
    return sorted.subList(0, top).stream().filter(r -> !promoted.get(rung).contains(r.trialId)).toList();
  }

  private static long pow(final long base, final int exponent) {
    long result = 1;
    for (int i = 0; i < exponent; i++) {
      result *= base;
    }
    return result;
  }
}
