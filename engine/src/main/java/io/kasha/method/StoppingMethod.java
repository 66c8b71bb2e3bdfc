package io.kasha.method;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * A rule that judges each result of a running trial: the ASHA stopping variant, Hyperband with that
 * rule per bracket, and the median stopping rule. A trial that may go on continues at once to its
 * next rung; one that may not is stopped. Nothing waits for a free slot to be promoted.
 */
final class StoppingMethod extends SingleMetricMethod {

  /** The rule proper: judges a trial's result at a rung of its schedule. */
  interface Judge {
    Verdict judge(String trialId, int rung, long resource, double metric);
  }

  private final Judge judge;
  private final Function<String, RungSchedule> schedules;
  private final java.util.function.Consumer<String> assign;
  private final TrialResults results;

  StoppingMethod(final Judge judge, final Function<String, RungSchedule> schedules,
      final java.util.function.Consumer<String> assign, final TrialResults results, final String metric) {
    super(metric);
    this.judge = judge;
    this.schedules = schedules;
    this.assign = assign;
    this.results = results;
  }

  @Override
  public void addTrial(final String trialId, final Map<String, Object> params) {
    assign.accept(trialId);
  }

  @Override
  public RungSchedule schedule(final String trialId) {
    return schedules.apply(trialId);
  }

  @Override
  Outcome record(final String trialId, final int rung, final double value, final String checkpointUri) {
    results.record(trialId, rung, value, checkpointUri);
    final RungSchedule schedule = schedule(trialId);
    final Verdict verdict = judge.judge(trialId, rung, schedule.resource(rung), value);
    final String note = "result " + value + " in rung " + rung + ": " + verdict.reason();
    if (rung == schedule.topRung() || verdict.action() == Verdict.Action.COMPLETE) {
      return Outcome.completes(note);
    }
    return verdict.continues() ? Outcome.continues(note, verdict.reason()) : Outcome.stops(note, verdict.reason());
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return results.metric(trialId, rung);
  }
}
