package io.kasha.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link PopulationBasedTraining} answers for one result of a trial. */
public sealed interface PbtDecision {

  String reason();

  /** Keep training with the same hyperparameters from the trial's own checkpoint. */
  record Continue(String reason) implements PbtDecision {}

  /**
   * Exploit and explore: the trial drops its own progress, resumes from the donor's checkpoint at
   * {@code donorStep} and trains on with {@code newParams}. This record is the trial's lineage entry,
   * for the audit log.
   *
   * @param step the trial's step when it was judged in the bottom quantile
   * @param operations per explored parameter what was done, e.g. "* 1.2", "resample", "shift left"
   */
  record Exploit(
      String trialId, long step, double metric, String donorId, long donorStep, double donorMetric,
      Map<String, Object> oldParams, Map<String, Object> newParams, Map<String, String> operations)
      implements PbtDecision {

    public Exploit {
      oldParams = Collections.unmodifiableMap(new LinkedHashMap<>(oldParams));
      newParams = Collections.unmodifiableMap(new LinkedHashMap<>(newParams));
      operations = Collections.unmodifiableMap(new LinkedHashMap<>(operations));
    }

    @Override
    public String reason() {
      return "exploit: " + trialId + " (" + metric + " at step " + step + ") is in the bottom quantile; it copies "
          + donorId + " (" + donorMetric + ") from its checkpoint at step " + donorStep + " and explores "
          + operations;
    }
  }
}
