package io.kasha.cli.watch;

import io.kasha.method.RungSchedule;
import io.kasha.method.SchedulerSettings;
import io.kasha.method.TuningMethods;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParetoPoint;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A study's state as its audit log tells it: the rung ladder, the trials, the best result and how
 * the study ended. Built only from events, so it works for a study running elsewhere or long done.
 */
public final class StudyProjection {

  /** One rung of the ladder. */
  public static final class Rung {
    public final int rung;
    public final long resource;
    public long results;
    public long promoted;

    Rung(final int rung, final long resource) {
      this.rung = rung;
      this.resource = resource;
    }
  }

  /** A trial's latest result, at the highest rung it reached. */
  public record TrialResult(String trialId, int rung, long resource, double metric, Map<String, Object> params) {}

  private final String studyId;
  private final Map<Long, Rung> rungs = new TreeMap<>();
  private final Map<String, TrialResult> trials = new LinkedHashMap<>();
  private StudySpec spec;
  private StudyEvent best;
  private StudyEvent end;
  private List<String> problems = List.of();
  private long created;
  private long inFlight;
  private long failed;
  private long stopped;
  private List<ParetoPoint> paretoFront = List.of();
  private long events;

  public StudyProjection(final String studyId) {
    this.studyId = studyId;
  }

  public void apply(final StudyEvent event) {
    events++;
    switch (event.getType()) {
      case STUDY_ACCEPTED -> {
        spec = event.getSpec();
        final RungSchedule schedule = ladder(spec);
        for (int k = 0; k < schedule.size(); k++) {
          final long resource = schedule.resource(k);
          rungs.computeIfAbsent(resource, r -> new Rung(rungs.size(), resource));
        }
      }
      case STUDY_EXTENDED -> spec = event.getSpec() == null ? spec : event.getSpec();
      case STUDY_REJECTED -> {
        problems = List.copyOf(event.getProblems());
        end = event;
      }
      case TRIAL_CREATED -> {
        created++;
        inFlight++;
      }
      case TRIAL_PROMOTED, TRIAL_CONTINUED -> {
        rung(event).promoted++;
        inFlight++;
      }
      case TRIAL_EXPLOITED -> inFlight++;
      case TRIAL_STOPPED -> stopped++;
      case RUNG_RESULT -> {
        rung(event).results++;
        inFlight--;
        final double metric = event.getMetric() == null ? Double.NaN : event.getMetric();
        trials.put(event.getTrialId(), new TrialResult(event.getTrialId(), event.getRung(), event.getResource(),
            metric, event.getParams() == null ? Map.of() : Map.copyOf(event.getParams())));
      }
      case TRIAL_FAILED -> {
        failed++;
        inFlight--;
      }
      case BEST_IMPROVED -> best = event;
      case STUDY_COMPLETED -> {
        end = event;
        paretoFront = List.copyOf(event.getParetoFront());
        inFlight = 0;
      }
      default -> { }
    }
  }

  /** The rung of the event's resource: Hyperband's brackets share the resources of bracket 0's rungs. */
  private Rung rung(final StudyEvent event) {
    return rungs.computeIfAbsent(event.getResource(), r -> new Rung(event.getRung(), r));
  }

  /** Every resource at which the study's trials report: bracket 0's rungs, or the segments of PBT and the median rule. */
  private static RungSchedule ladder(final StudySpec spec) {
    return switch (spec.getScheduler()) {
      case MEDIAN_STOPPING -> TuningMethods.linear(spec.getMinResource(), spec.getMaxResource());
      case PBT -> TuningMethods.linear(SchedulerSettings.of(spec).perturbationInterval(), spec.getMaxResource());
      case ASYNC_HYPERBAND, HYPERBAND_STOPPING -> RungSchedule.of(spec.getMinResource(), spec.getMaxResource(),
          spec.getEta(), 0);
      default -> TuningMethods.ashaSchedule(spec);
    };
  }

  /** Trials stopped early by a stopping rule. */
  public long stopped() {
    return stopped;
  }

  /** The Pareto front of a multi-objective study once it has ended; empty otherwise. */
  public List<ParetoPoint> paretoFront() {
    return paretoFront;
  }

  public boolean ended() {
    return end != null;
  }

  public boolean rejected() {
    return end != null && end.getType() == EventType.STUDY_REJECTED;
  }

  public String status() {
    if (end == null) {
      return events == 0 ? "PENDING" : "RUNNING";
    }
    return rejected() ? "REJECTED" : end.getStatus();
  }

  public String endReason() {
    return end == null ? null : end.getReason();
  }

  public String studyId() {
    return studyId;
  }

  public StudySpec spec() {
    return spec;
  }

  /** Parameter names in the study file's order (empty until the study is accepted). */
  public List<String> paramOrder() {
    return spec == null ? List.of() : spec.getParams().stream().map(p -> p.getName()).toList();
  }

  /** {@code params} with the names of {@code order} first, in that order (Avro maps keep no order). */
  public static Map<String, Object> ordered(final Map<String, Object> params, final List<String> order) {
    final Map<String, Object> result = new LinkedHashMap<>();
    order.stream().filter(params::containsKey).forEach(name -> result.put(name, params.get(name)));
    params.forEach(result::putIfAbsent);
    return result;
  }

  public List<String> problems() {
    return problems;
  }

  public long trialsCreated() {
    return created;
  }

  public long inFlight() {
    return inFlight;
  }

  public long failed() {
    return failed;
  }

  /** The rung ladder: every rung of the schedule once the study is accepted. */
  public List<Rung> rungs() {
    return new ArrayList<>(rungs.values());
  }

  /** The best result at the highest rung reached, or null. */
  public StudyEvent best() {
    return best;
  }

  /** Trials ranked: highest resource (rung) first, then by metric in the study's direction, NaN last. */
  public List<TrialResult> leaderboard() {
    final boolean max = spec != null && spec.getMode() == Mode.MAX;
    final Comparator<TrialResult> byMetric = Comparator.comparing((TrialResult t) -> Double.isNaN(t.metric()))
        .thenComparingDouble(t -> max ? -t.metric() : t.metric());
    return trials.values().stream()
        .sorted(Comparator.comparingLong(TrialResult::resource).reversed().thenComparing(byMetric))
        .toList();
  }
}
