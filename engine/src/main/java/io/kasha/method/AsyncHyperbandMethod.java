package io.kasha.method;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Asynchronous Hyperband, promotion form: each new trial gets a bracket for its whole life and waits
 * in its bracket's rungs until ASHA promotes it among that bracket's trials.
 */
final class AsyncHyperbandMethod extends SingleMetricMethod implements ClosableRungs {

  private final AsyncHyperband hyperband;
  private final TrialResults results;
  /** Bracket b's rung r is closable rung {@code firstClosable[b] + r}; the last entry counts them all. */
  private final int[] firstClosable;

  AsyncHyperbandMethod(final AsyncHyperband hyperband, final TrialResults results, final String metric) {
    super(metric);
    this.hyperband = hyperband;
    this.results = results;
    this.firstClosable = new int[hyperband.brackets() + 1];
    for (int b = 0; b < hyperband.brackets(); b++) {
      firstClosable[b + 1] = firstClosable[b] + hyperband.schedule(b).topRung();
    }
  }

  @Override
  public void addTrial(final String trialId, final Map<String, Object> params) {
    hyperband.assign(trialId);
  }

  @Override
  public RungSchedule schedule(final String trialId) {
    return hyperband.schedule(hyperband.bracketOf(trialId).orElseThrow(
        () -> new IllegalStateException("trial " + trialId + " has no bracket")));
  }

  @Override
  Outcome record(final String trialId, final int rung, final double value, final String checkpointUri) {
    final int bracket = hyperband.bracketOf(trialId).orElseThrow();
    hyperband.record(trialId, rung, value);
    results.record(trialId, rung, value, checkpointUri);
    final String note = "result " + value + " is number " + hyperband.results(bracket, rung) + " in rung " + rung
        + " of bracket " + bracket;
    return rung == schedule(trialId).topRung() ? Outcome.completes(note) : Outcome.waits(note);
  }

  @Override
  public Optional<Promotion> nextPromotion() {
    return hyperband.nextPromotion().map(p -> new Promotion(p.trialId(), p.promotion().fromRung(),
        p.promotion().toRung(), p.promotion().metric(), p.reason(), p));
  }

  @Override
  public void markPromoted(final Promotion promotion) {
    hyperband.markPromoted((BracketPromotion) promotion.handle());
  }

  /**
   * Closable rungs are numbered bracket by bracket, bottom up: bracket b's rung r is {@code
   * firstClosable[b] + r}, for every rung below the bracket's top.
   */
  @Override
  public int closableRungs() {
    return firstClosable[hyperband.brackets()];
  }

  @Override
  public int closableRung(final String trialId, final int rung) {
    final int bracket = hyperband.bracketOf(trialId).orElseThrow();
    return rung < hyperband.schedule(bracket).topRung() ? firstClosable[bracket] + rung : -1;
  }

  @Override
  public int feederOf(final int closable) {
    final int bracket = bracketOfClosable(closable);
    return closable == firstClosable[bracket] ? -1 : closable - 1;
  }

  @Override
  public boolean promotable(final int closable) {
    final int bracket = bracketOfClosable(closable);
    return hyperband.promotable(bracket, closable - firstClosable[bracket]);
  }

  @Override
  public String rungName(final int closable) {
    final int bracket = bracketOfClosable(closable);
    return "rung " + (closable - firstClosable[bracket]) + " of bracket " + bracket;
  }

  private int bracketOfClosable(final int closable) {
    for (int b = 0; b < hyperband.brackets(); b++) {
      if (closable < firstClosable[b + 1]) {
        return b;
      }
    }
    throw new IllegalArgumentException("no closable rung " + closable);
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return results.metric(trialId, rung);
  }
}
