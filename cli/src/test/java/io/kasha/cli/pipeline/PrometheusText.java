package io.kasha.cli.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line must
 * be a {@code # HELP}, a {@code # TYPE} or a sample of a metric whose type was declared, with well-formed
 * labels and a number; anything else fails the test. (Prometheus' Java client writes the format but
 * has no reader.)
 */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {}

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");
  private static final Set<String> SUFFIXES = Set.of("_total", "_created", "_bucket", "_count", "_sum", "_info");

  private final List<Sample> samples;

  private PrometheusText(final List<Sample> samples) {
    this.samples = samples;
  }

  /** @throws IllegalArgumentException naming the first line that is not of the format */
  static PrometheusText parse(final String text) {
    final Map<String, String> types = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();
    int number = 0;
    for (final String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      final Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        if (types.put(type.group(1), type.group(2)) != null) {
          throw new IllegalArgumentException("line " + number + ": a second TYPE for " + type.group(1));
        }
      } else if (!HELP.matcher(line).matches()) {
        samples.add(sample(line, number, types));
      }
    }
    return new PrometheusText(samples);
  }

  private static Sample sample(final String line, final int number, final Map<String, String> types) {
    final Matcher sample = SAMPLE.matcher(line);
    if (!sample.matches()) {
      throw new IllegalArgumentException("line " + number + " is not a sample: " + line);
    }
    final String name = sample.group(1);
    if (!types.containsKey(name) && !types.containsKey(family(name))) {
      throw new IllegalArgumentException("line " + number + ": " + name + " has no TYPE before it");
    }
    final Map<String, String> labels = new LinkedHashMap<>();
    if (sample.group(3) != null && !sample.group(3).isEmpty()) {
      final Matcher label = LABEL.matcher(sample.group(3));
      int at = 0;
      while (at < sample.group(3).length()) {
        if (!label.find(at) || label.start() != at) {
          throw new IllegalArgumentException("line " + number + ": bad labels " + sample.group(3));
        }
        labels.put(label.group(1), label.group(2));
        at = label.end();
      }
    }
    return new Sample(name, labels, value(sample.group(4), number));
  }

  private static String family(final String name) {
    for (final String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static double value(final String text, final int number) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + number + ": not a number: " + text);
        }
    }
  }

  List<Sample> samples() {
    return samples;
  }

  /** The value of the one sample of {@code name} with {@code labels} among its labels. */
  double value(final String name, final String... labels) {
    final List<Sample> found = samples.stream()
        .filter(sample -> sample.name().equals(name) && hasLabels(sample, labels)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
    }
    return found.get(0).value();
  }

  boolean has(final String namePrefix) {
    return samples.stream().anyMatch(sample -> sample.name().startsWith(namePrefix));
  }

  private static boolean hasLabels(final Sample sample, final String... labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
