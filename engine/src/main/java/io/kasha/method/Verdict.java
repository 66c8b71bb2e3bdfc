package io.kasha.method;

/**
 * What a stopping rule answers for one result of a running trial, with the reason to put in the
 * decision event, for example "stopped: rank 3 of 4 in rung 1, outside the top 2 (cut-off 0.21)".
 */
public record Verdict(Action action, String reason) {

  /** Keep training, stop for good, or stop because the trial has its whole budget. */
  public enum Action {
    CONTINUE,
    STOP,
    COMPLETE
  }

  public static Verdict proceed(final String reason) {
    return new Verdict(Action.CONTINUE, reason);
  }

  public static Verdict stop(final String reason) {
    return new Verdict(Action.STOP, reason);
  }

  public static Verdict complete(final String reason) {
    return new Verdict(Action.COMPLETE, reason);
  }

  public boolean continues() {
    return action == Action.CONTINUE;
  }
}
