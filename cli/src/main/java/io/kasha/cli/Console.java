package io.kasha.cli;

/** What the commands tell the person at the terminal: their own lines, never log output. */
public final class Console {

  private Console() {}

  public static void info(final String line) {
    System.out.println(line);
  }

  /**
   * A line about what the command is doing rather than its result, on standard error, so that
   * output meant for a pipe (such as {@code kasha events --json}) stays clean.
   */
  public static void note(final String line) {
    System.err.println(line);
  }

  public static void error(final String line) {
    System.err.println("kasha: " + line);
  }
}
