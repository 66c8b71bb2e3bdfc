package io.kasha.method;

/**
 * A decision to continue a paused trial from {@code fromRung} to {@code toRung} in a free slot.
 *
 * @param metric the trial's result of the study's metric in {@code fromRung}
 * @param reason why, for the promotion event
 * @param handle the rule's own decision, handed back to {@link TuningMethod#markPromoted}
 */
public record Promotion(String trialId, int fromRung, int toRung, double metric, String reason, Object handle) {}
