package io.kasha.bench;

import java.util.Locale;

/**
 * A figure a benchmark aims at, measured against its limit. Printed, never asserted: a shared machine
 * is too noisy for a limit to fail a build.
 *
 * <p>The figure is kept at the precision it is printed with (two decimals), and the verdict and the margin are
 * taken from that same value: a ratio measured at 1.5012 reads "1.50x ... met" against a limit of at most 1.5,
 * never "1.50x ... MISSED".
 *
 * @param description what is measured, for example "heap at 1000000 trials"
 * @param measured the figure measured, rounded to two decimals on construction
 * @param limit the most the figure may be
 * @param unit the unit of both, printed right after a figure: "x" or " MB"
 * @param inclusive whether the limit itself meets the target ("at most") or not ("under")
 */
record Target(String description, double measured, double limit, String unit, boolean inclusive) {

  Target {
    measured = Math.round(measured * 100) / 100.0;
  }

  boolean met() {
    return inclusive ? measured <= limit : measured < limit;
  }

  /** How far under the limit the figure is, in percent of the limit; negative when over it. */
  double marginPercent() {
    return (limit - measured) / limit * 100;
  }

  /** For example "heap at 1000000 trials: 41.30 MB, limit under 256 MB: met, 84% under the limit". */
  String line() {
    final double margin = marginPercent();
    final String distance = measured == limit ? "at the limit"
        : String.format(Locale.ROOT, "%.0f%% %s the limit", Math.abs(margin), margin > 0 ? "under" : "over");
    return String.format(Locale.ROOT, "%s: %.2f%s, limit %s %s%s: %s, %s", description, measured, unit,
        inclusive ? "at most" : "under", format(limit), unit, met() ? "met" : "MISSED", distance);
  }

  private static String format(final double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
