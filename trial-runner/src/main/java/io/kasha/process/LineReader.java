package io.kasha.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines of at most {@code maxChars} characters; the rest of a longer line is dropped, so
 * a program that prints without newlines cannot exhaust the runner's memory.
 */
final class LineReader {

  private final Reader reader;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;

  LineReader(final InputStream in, final int maxChars) {
    this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, or null at the end of the stream. */
  String readLine() throws IOException {
    final StringBuilder line = new StringBuilder();
    boolean sawAny = false;
    while (true) {
      if (position == limit) {
        limit = reader.read(buffer);
        position = 0;
        if (limit < 0) {
          limit = 0;
          return sawAny ? stripCarriageReturn(line) : null;
        }
      }
      sawAny = true;
      final char c = buffer[position++];
      if (c == '\n') {
        return stripCarriageReturn(line);
      }
      if (line.length() < maxChars) {
        line.append(c);
      }
    }
  }

  private static String stripCarriageReturn(final StringBuilder line) {
    final int last = line.length() - 1;
    if (last >= 0 && line.charAt(last) == '\r') {
      line.setLength(last);
    }
    return line.toString();
  }
}
