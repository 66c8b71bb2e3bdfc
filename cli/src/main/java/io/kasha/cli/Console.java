package io.kasha.cli;

/** What the commands tell the person at the terminal: their own lines, never log output. */
public final class Console {

  private Console() {}

  public static void info(final String line) {
    System.out.println(line);
  }

  public static void error(final String line) {
    System.err.println("kasha: " + line);
  }
}
