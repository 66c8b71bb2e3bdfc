package io.kasha.method;


/**
 * What a trial does after a segment: wait in its rung for a promotion, continue at once to the next
 * rung, stop for good, complete (its whole budget trained), or exploit another trial's checkpoint.
 *
 * @param resultNote for the rung-result event, for example "result 0.2 is number 4 in rung 1"
 * @param reason why the trial continues, stops or exploits; null while it waits
 * @param exploit with {@link Action#EXPLOIT}: the lineage entry (donor, old and new parameters)
 * @param donorRung with {@link Action#EXPLOIT}: the donor's rung whose checkpoint the trial resumes from
 * @param donorCheckpoint with {@link Action#EXPLOIT}: that checkpoint, or null if the donor wrote none
 */
public record Outcome(
    Action action, String resultNote, String reason, PbtDecision.Exploit exploit, int donorRung,
    String donorCheckpoint) {

  /** The five things a trial can do next. */
  public enum Action { WAIT, CONTINUE, STOP, COMPLETE, EXPLOIT }

  public static Outcome waits(final String resultNote) {
    return new Outcome(Action.WAIT, resultNote, null, null, -1, null);
  }

  public static Outcome continues(final String resultNote, final String reason) {
    return new Outcome(Action.CONTINUE, resultNote, reason, null, -1, null);
  }

  public static Outcome stops(final String resultNote, final String reason) {
    return new Outcome(Action.STOP, resultNote, reason, null, -1, null);
  }

  public static Outcome completes(final String resultNote) {
    return new Outcome(Action.COMPLETE, resultNote, null, null, -1, null);
  }

  public static Outcome exploits(
      final String resultNote, final PbtDecision.Exploit exploit, final int donorRung, final String donorCheckpoint) {
    return new Outcome(Action.EXPLOIT, resultNote, exploit.reason(), exploit, donorRung, donorCheckpoint);
  }
}
