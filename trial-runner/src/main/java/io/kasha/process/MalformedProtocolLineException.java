package io.kasha.process;

/** A line that starts with {@value ProtocolLine#PREFIX} but is not a valid report. */
public final class MalformedProtocolLineException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MalformedProtocolLineException(final String message) {
    super(message);
  }
}
