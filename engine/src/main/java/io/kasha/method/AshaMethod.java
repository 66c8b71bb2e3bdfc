package io.kasha.method;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** ASHA, promotion variant (the default): a trial waits in its rung until the rule promotes it. */
final class AshaMethod implements OneBracketMethod {

  private final AshaPolicy policy;
  private final RungSchedule schedule;
  private final String metric;

  AshaMethod(final AshaPolicy policy, final RungSchedule schedule, final String metric) {
    this.policy = policy;
    this.schedule = schedule;
    this.metric = metric;
  }

  @Override
  public RungSchedule rungs() {
    return schedule;
  }

  @Override
  public List<String> metrics() {
    return List.of(metric);
  }

  @Override
  public Outcome record(final String trialId, final int rung, final Map<String, Double> metrics,
      final String checkpointUri) {
    final double value = metrics.get(metric);
    policy.record(rung, trialId, value);
    final String note = "result " + value + " is number " + policy.results(rung) + " in rung " + rung;
    return rung == schedule.topRung() ? Outcome.completes(note) : Outcome.waits(note);
  }

  @Override
  public Optional<Promotion> nextPromotion() {
    return policy.nextPromotion().map(p -> new Promotion(p.trialId(), p.fromRung(), p.toRung(), p.metric(),
        p.reason(), p));
  }

  @Override
  public void markPromoted(final Promotion promotion) {
    policy.markPromoted((AshaPromotion) promotion.handle());
  }

  @Override
  public boolean promotable(final int rung) {
    return policy.promotable(rung);
  }

  @Override
  public List<String> waitingIn(final int rung) {
    return policy.unpromoted(rung);
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return policy.metric(rung, trialId);
  }
}
