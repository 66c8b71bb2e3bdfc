package io.kasha.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Multi-objective ASHA: a trial reports every objective, waits in its rung, and is promoted by
 * non-dominated rank then the tie-break. The study's result is the Pareto front of its highest rung.
 */
final class MoAshaMethod implements OneBracketMethod, ParetoFront {

  private final MultiObjectiveAsha asha;
  private final RungSchedule schedule;
  private final List<Objective> objectives;
  private final TrialResults results;

  MoAshaMethod(final MultiObjectiveAsha asha, final RungSchedule schedule, final List<Objective> objectives,
      final TrialResults results) {
    this.asha = asha;
    this.schedule = schedule;
    this.objectives = List.copyOf(objectives);
    this.results = results;
  }

  @Override
  public RungSchedule rungs() {
    return schedule;
  }

  @Override
  public List<String> metrics() {
    return objectives.stream().map(Objective::metric).toList();
  }

  @Override
  public Outcome record(final String trialId, final int rung, final Map<String, Double> metrics,
      final String checkpointUri) {
    final List<Double> values = metrics().stream().map(metrics::get).toList();
    asha.record(rung, trialId, values);
    results.record(trialId, rung, values.get(0), checkpointUri);
    final String note = "results " + byName(values) + " in rung " + rung;
    return rung == schedule.topRung() ? Outcome.completes(note) : Outcome.waits(note);
  }

  @Override
  public Optional<Promotion> nextPromotion() {
    return asha.nextPromotion().map(p -> new Promotion(p.trialId(), p.fromRung(), p.toRung(),
        p.metrics().get(0), p.reason(), p));
  }

  @Override
  public void markPromoted(final Promotion promotion) {
    asha.markPromoted((MoPromotion) promotion.handle());
  }

  @Override
  public boolean promotable(final int rung) {
    return asha.promotable(rung);
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return results.metric(trialId, rung);
  }

  @Override
  public List<FrontMember> paretoFront() {
    return asha.paretoFront().stream().map(this::member).toList();
  }

  private FrontMember member(final MoResult result) {
    return new FrontMember(result.trialId(), result.rung(), byName(result.metrics()));
  }

  private Map<String, Double> byName(final List<Double> values) {
    final Map<String, Double> named = new LinkedHashMap<>();
    for (int i = 0; i < objectives.size(); i++) {
      named.put(objectives.get(i).metric(), values.get(i));
    }
    return named;
  }
}
