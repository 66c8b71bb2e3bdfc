package io.kasha.runner;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them in configuration: {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30M}).
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException for anything else, and for durations that are not positive
   */
  public static Duration parse(final String text) {
    final String trimmed = text.strip().toLowerCase(Locale.ROOT);
    final Duration duration = trimmed.startsWith("p") ? iso(text.strip()) : shortForm(trimmed, text);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got '" + text + "'");
    }
    return duration;
  }

  private static Duration iso(final String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration such as PT30M");
    }
  }

  private static Duration shortForm(final String trimmed, final String text) {
    final Matcher matcher = SHORT.matcher(trimmed);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use a number with a unit (500ms, 30s, 10m, 2h, 1d) or ISO-8601 (PT30M)");
    }
    final long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new IllegalStateException("unit " + matcher.group(2));
    };
  }
}
