package io.kasha.method;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Population based training on the job model: every trial trains in segments of
 * {@code perturbation_interval}; at each segment's end below the last it either continues at once,
 * or exploits a top-quantile donor: its next segment resumes from the donor's checkpoint at the step
 * the donor was ranked, with the explored parameters. The last segment's result completes the trial
 * and is not judged.
 */
final class PbtMethod extends SingleMetricMethod {

  private final PopulationBasedTraining pbt;
  private final RungSchedule schedule;
  private final TrialResults results;

  PbtMethod(final PopulationBasedTraining pbt, final RungSchedule schedule, final TrialResults results,
      final String metric) {
    super(metric);
    this.pbt = pbt;
    this.schedule = schedule;
    this.results = results;
  }

  @Override
  public void addTrial(final String trialId, final Map<String, Object> params) {
    pbt.addTrial(trialId, params);
  }

  @Override
  public RungSchedule schedule(final String trialId) {
    return schedule;
  }

  @Override
  Outcome record(final String trialId, final int rung, final double value, final String checkpointUri) {
    results.record(trialId, rung, value, checkpointUri);
    final long step = schedule.resource(rung);
    final String note = "result " + value + " at step " + step;
    if (rung == schedule.topRung()) {
      return Outcome.completes(note);
    }
    final PbtDecision decision = pbt.record(trialId, step, value);
    if (decision instanceof PbtDecision.Exploit exploit) {
      final int donorRung = schedule.resources().indexOf(exploit.donorStep());
      return Outcome.exploits(note, exploit, donorRung, results.checkpoint(exploit.donorId(), donorRung));
    }
    return Outcome.continues(note, decision.reason());
  }

  @Override
  public OptionalDouble metric(final int rung, final String trialId) {
    return results.metric(trialId, rung);
  }
}
