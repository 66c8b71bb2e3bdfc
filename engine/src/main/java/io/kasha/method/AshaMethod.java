package io.kasha.method;

import java.util.Optional;
import java.util.OptionalDouble;

/** ASHA, promotion variant (the default): a trial waits in its rung until the rule promotes it. */
final class AshaMethod extends SingleMetricMethod implements OneBracketMethod {

  private final AshaPolicy policy;
  private final RungSchedule schedule;

  AshaMethod(final AshaPolicy policy, final RungSchedule schedule, final String metric) {
    super(metric);
    this.policy = policy;
    this.schedule = schedule;
  }

  @Override
  public RungSchedule rungs() {
    return schedule;
  }

  @Override
  Outcome record(final String trialId, final int rung, final double value, final String checkpointUri) {
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
  public OptionalDouble metric(final int rung, final String trialId) {
    return policy.metric(rung, trialId);
  }
}
