package io.kasha.method;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Synchronous successive halving and Hyperband: the brackets of {@link SynchronousBrackets}, one after
 * another. A trial waits at its rung; a rung's best go on only once every trial of it has a result or
 * has failed, and no new trial starts while a bracket's later rungs run, so free slots may stay idle.
 */
final class SynchronousMethod extends SingleMetricMethod {

  private final SynchronousBrackets brackets;
  private final TrialResults results;

  SynchronousMethod(final SynchronousBrackets brackets, final TrialResults results, final String metric) {
    super(metric);
    this.brackets = brackets;
    this.results = results;
  }

  @Override
  public void addTrial(final String trialId, final Map<String, Object> params) {
    brackets.assign(trialId);
  }

  @Override
  public boolean admitsTrial() {
    return brackets.admitsTrial();
  }

  @Override
  public RungSchedule schedule(final String trialId) {
    return brackets.schedule(trialId);
  }

  @Override
  Outcome record(final String trialId, final int rung, final double value, final String checkpointUri) {
    final long size = brackets.rungSize();
    final long count = brackets.record(trialId, rung, value);
    results.record(trialId, rung, value, checkpointUri);
    final int s = brackets.bracketOf(trialId).orElseThrow().s();
    final String note = "result " + value + " is number " + count + " of " + size + " in rung " + rung
        + " of bracket s=" + s;
    return rung == schedule(trialId).topRung() ? Outcome.completes(note) : Outcome.waits(note);
  }

  @Override
  public void trialFailed(final String trialId, final int rung) {
    brackets.fail(trialId, rung);
  }

  @Override
  public Optional<Promotion> nextPromotion() {
    return brackets.nextPromotion().map(p -> new Promotion(p.trialId(), p.fromRung(), p.toRung(), p.metric(),
        p.reason(), p));
  }

  @Override
  public void markPromoted(final Promotion promotion) {
    brackets.markPromoted((SynchronousBrackets.Advance) promotion.handle());
  }

  @Override
  public List<String> takePassedOver() {
    return brackets.takePassedOver();
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return results.metric(trialId, rung);
  }
}
