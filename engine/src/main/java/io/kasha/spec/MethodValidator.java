package io.kasha.spec;

import io.kasha.method.AsyncHyperband;
import io.kasha.method.Bracket;
import io.kasha.method.BracketRule;
import io.kasha.method.TieBreak;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Static checks of the study-file knobs of the tuning methods, before a rule is built. Each check
 * returns every problem it finds, one message each naming the field, the value and the fix, for
 * example "eta: must be at least 2 (got 1); 3 is the usual choice". An empty list means the knobs
 * are consistent. Problems name their keys through the catalogue ({@link StudyKey}).
 */
public final class MethodValidator {

  /**
   * The most segments a trial of the median stopping rule or PBT trains in: their rung schedules are
   * lists of every segment's end, built when a study starts, so a spec must not make them unbounded.
   */
  public static final long MAX_SEGMENTS = 10_000;

  private final List<Problem> problems = new ArrayList<>();

  private MethodValidator() {}

  /**
   * A method that trains a trial in segments of {@code segment} up to {@code maxResource} (the median
   * stopping rule, PBT): at most {@link #MAX_SEGMENTS} of them; {@code key} is the knob of the segment.
   */
  public static List<Problem> segments(final StudyKey key, final String method, final long segment,
      final long maxResource) {
    if (segment < 1 || maxResource < 1) {
      return List.of();
    }
    final long segments = maxResource / segment + (maxResource % segment == 0 ? 0 : 1);
    if (segments <= MAX_SEGMENTS) {
      return List.of();
    }
    final long fewest = maxResource / MAX_SEGMENTS + (maxResource % MAX_SEGMENTS == 0 ? 0 : 1);
    return List.of(Problem.of(key, "the " + method + " scheduler trains a trial in segments of {" + key.field()
        + "} up to {maxResource}, at most " + MAX_SEGMENTS + " of them (got " + segments + " segments of " + segment
        + " up to " + maxResource + "); raise {" + key.field() + "} to at least " + fewest
        + " or lower {maxResource}"));
  }

  /** The knobs shared by the ASHA variants and MO-ASHA. */
  public static List<Problem> asha(final int eta, final long minResource, final long maxResource, final long minRungSize) {
    final MethodValidator v = new MethodValidator();
    v.etaAndResources(eta, minResource, maxResource);
    if (minRungSize < 1) {
      v.problems.add(Problem.of(StudyKey.MIN_RUNG_SIZE, "must be at least 1 (got " + minRungSize + "); use 1 to promote as soon as a "
          + "rung holds eta results"));
    }
    return List.copyOf(v.problems);
  }

  /** Asynchronous Hyperband: the ASHA knobs, {@code brackets} and {@code bracket_rule}. */
  public static List<Problem> asyncHyperband(
      final int eta, final long minResource, final long maxResource, final int brackets, final String bracketRule) {
    final MethodValidator v = new MethodValidator();
    v.etaAndResources(eta, minResource, maxResource);
    if (v.problems.isEmpty()) {
      v.brackets(brackets, AsyncHyperband.maxBrackets(minResource, maxResource, eta), minResource, maxResource, eta);
    }
    if (bracketRule != null && parse(BracketRule.class, bracketRule) == null) {
      v.problems.add(Problem.of(StudyKey.BRACKET_RULE, "must be round_robin or weighted (got '" + bracketRule + "')"));
    }
    return List.copyOf(v.problems);
  }

  private void brackets(final int brackets, final int most, final long minResource, final long maxResource,
      final int eta) {
    if (brackets < 1 || brackets > most) {
      problems.add(Problem.of(StudyKey.BRACKETS, "must be between 1 and " + most + " for {minResource} " + minResource
          + ", {maxResource} " + maxResource + " and {eta} " + eta + " (got " + brackets + "); lower it or raise "
          + "{maxResource}"));
    }
  }

  /**
   * Synchronous successive halving: one bracket of {@code max_trials} configurations over every rung
   * needs {@code eta^s_max} of them for one to reach {@code max_resource}.
   */
  public static List<Problem> successiveHalving(
      final int eta, final long minResource, final long maxResource, final long maxTrials) {
    final MethodValidator v = new MethodValidator();
    v.etaAndResources(eta, minResource, maxResource);
    if (v.problems.isEmpty()) {
      final Bracket bracket = Bracket.successiveHalving(Math.max(0, maxTrials), minResource, maxResource, eta);
      final long needed = Bracket.hyperband(minResource, maxResource, eta).get(0).n();
      if (maxTrials < needed) {
        v.problems.add(Problem.of(StudyKey.MAX_TRIALS, "synchronous successive halving starts every trial at {minResource} and keeps "
            + "the best 1/" + eta + " at each of its " + bracket.s() + " promotions, so it needs at least " + needed
            + " for one to reach {maxResource} " + maxResource + " (got " + maxTrials + "); raise {maxTrials} to "
            + needed + " or more, or raise {minResource}"));
      }
    }
    return List.copyOf(v.problems);
  }

  /**
   * Synchronous Hyperband: {@code brackets} between 1 and the iteration's {@code s_max + 1} (which
   * counts {@code max_resource} as a rung of its own when it is not {@code min_resource * eta^k}, so
   * it can be one more than asynchronous Hyperband's), and {@code max_trials} at least the first
   * bracket's configurations.
   */
  public static List<Problem> hyperband(
      final int eta, final long minResource, final long maxResource, final int brackets, final long maxTrials) {
    final MethodValidator v = new MethodValidator();
    v.etaAndResources(eta, minResource, maxResource);
    if (v.problems.isEmpty()) {
      v.brackets(brackets, hyperbandBrackets(minResource, maxResource, eta), minResource, maxResource, eta);
    }
    final List<Problem> problems = v.problems;
    if (problems.isEmpty()) {
      final List<Bracket> iteration = Bracket.hyperband(minResource, maxResource, eta).subList(0, brackets);
      final long first = iteration.get(0).n();
      final long total = iteration.stream().mapToLong(Bracket::n).reduce(0, (a, b) -> a > Long.MAX_VALUE - b
          ? Long.MAX_VALUE : a + b);
      if (maxTrials < first) {
        problems.add(Problem.of(StudyKey.MAX_TRIALS, "Hyperband's first bracket starts " + first + " configurations (got " + maxTrials
            + "); raise {maxTrials} to at least " + first + ", or to " + total + " for every bracket of one "
            + "iteration, or lower {schedulerOptions.brackets}"));
      }
    }
    return List.copyOf(problems);
  }

  /** How many brackets one iteration of synchronous Hyperband has: {@code s_max + 1}. */
  public static int hyperbandBrackets(final long minResource, final long maxResource, final int eta) {
    return Bracket.hyperband(minResource, maxResource, eta).size();
  }

  /** The median stopping rule. */
  public static List<Problem> medianStopping(final long gracePeriod, final int minSamples, final long maxResource) {
    final MethodValidator v = new MethodValidator();
    if (gracePeriod < 0) {
      v.problems.add(Problem.of(StudyKey.GRACE_PERIOD, "must be at least 0 (got " + gracePeriod + ")"));
    } else if (gracePeriod > maxResource) {
      v.problems.add(Problem.of(StudyKey.GRACE_PERIOD, "must not exceed {maxResource} " + maxResource + " (got " + gracePeriod
          + "); no trial would ever be judged"));
    }
    if (minSamples < 1) {
      v.problems.add(Problem.of(StudyKey.MIN_SAMPLES, "must be at least 1 (got " + minSamples + "); 3 is Ray Tune's default"));
    }
    return List.copyOf(v.problems);
  }

  /** Population based training. */
  public static List<Problem> pbt(
      final long perturbationInterval, final double quantileFraction, final double resampleProbability,
      final List<Double> perturbationFactors, final boolean checkpoints, final int mutations, final long maxResource) {
    final MethodValidator v = new MethodValidator();
    if (!checkpoints) {
      v.problems.add(Problem.of(StudyKey.CHECKPOINTS, "PBT copies the checkpoint of a better trial, so the entrypoint must write "
          + "checkpoints (got none); turn checkpoints on or choose another method"));
    }
    if (perturbationInterval < 1) {
      v.problems.add(Problem.of(StudyKey.PERTURBATION_INTERVAL, "must be at least 1 (got " + perturbationInterval + ")"));
    } else if (perturbationInterval >= maxResource) {
      v.problems.add(Problem.of(StudyKey.PERTURBATION_INTERVAL, "must be below {maxResource} " + maxResource + " (got "
          + perturbationInterval + "); no trial would ever be perturbed"));
    }
    if (!(quantileFraction > 0 && quantileFraction <= 0.5)) {
      v.problems.add(Problem.of(StudyKey.QUANTILE_FRACTION, "must be in (0, 0.5] (got " + quantileFraction + "); 0.25 is the default"));
    }
    if (!(resampleProbability >= 0 && resampleProbability <= 1)) {
      v.problems.add(Problem.of(StudyKey.RESAMPLE_PROBABILITY, "must be in [0, 1] (got " + resampleProbability + "); 0.25 is the default"));
    }
    if (perturbationFactors.isEmpty()) {
      v.problems.add(Problem.of(StudyKey.PERTURBATION_FACTORS, "must list at least one factor (got none); [1.2, 0.8] is the default"));
    }
    for (int i = 0; i < perturbationFactors.size(); i++) {
      final Double factor = perturbationFactors.get(i);
      if (factor == null || !(factor > 0) || !Double.isFinite(factor)) {
        v.problems.add(Problem.of(StudyKey.PERTURBATION_FACTORS, i, null, "must be a finite number > 0 (got " + factor + ")"));
      }
    }
    if (mutations < 1) {
      v.problems.add(Problem.of(StudyKey.HYPERPARAM_MUTATIONS, "must name at least one parameter (got none); list the parameters "
          + "PBT may change"));
    }
    return List.copyOf(v.problems);
  }

  /** The objectives of a multi-objective study, its tie-break and weights. */
  public static List<Problem> objectives(
      final List<String> metrics, final List<String> modes, final String tieBreak, final List<Double> weights) {
    final MethodValidator v = new MethodValidator();
    if (metrics.size() < 2) {
      v.problems.add(Problem.of(StudyKey.OBJECTIVES, "a multi-objective study needs two or more (got " + metrics.size()
          + "); use metric and mode for a single objective"));
    }
    if (modes.size() != metrics.size()) {
      v.problems.add(Problem.of(StudyKey.OBJECTIVES, "every objective needs a mode (got " + metrics.size() + " metrics and "
          + modes.size() + " modes)"));
    }
    final Set<String> seen = new HashSet<>();
    for (int i = 0; i < metrics.size(); i++) {
      final String metric = metrics.get(i);
      if (metric == null || metric.isBlank()) {
        v.problems.add(Problem.of(StudyKey.OBJECTIVES, i, "metric", "must not be blank"));
      } else if (!seen.add(metric)) {
        v.problems.add(Problem.of(StudyKey.OBJECTIVES, i, "metric", "must be unique (got a second '" + metric + "')"));
      }
    }
    for (int i = 0; i < modes.size(); i++) {
      final String mode = modes.get(i);
      if (mode == null || !Set.of("MIN", "MAX").contains(mode.toUpperCase(Locale.ROOT))) {
        v.problems.add(Problem.of(StudyKey.OBJECTIVES, i, "mode", "must be min or max (got '" + mode + "')"));
      }
    }
    final TieBreak rule = tieBreak == null ? TieBreak.CROWDING_DISTANCE : parse(TieBreak.class, tieBreak);
    if (rule == null) {
      v.problems.add(Problem.of(StudyKey.TIE_BREAK, "must be crowding_distance or weighted_sum (got '" + tieBreak + "')"));
    }
    if (rule == TieBreak.WEIGHTED_SUM && !weights.isEmpty() && weights.size() != metrics.size()) {
      v.problems.add(Problem.of(StudyKey.WEIGHTS, "must give one weight per objective (got " + weights.size() + " for "
          + metrics.size() + " objectives); leave it out for equal weights"));
    }
    if (rule != TieBreak.WEIGHTED_SUM && !weights.isEmpty()) {
      v.problems.add(Problem.of(StudyKey.WEIGHTS, "only used with {schedulerOptions.tieBreak} weighted_sum (got " + weights + " with "
          + (rule == null ? tieBreak : rule.name().toLowerCase(Locale.ROOT)) + "); remove them or set {schedulerOptions.tieBreak}"));
    }
    for (int i = 0; i < weights.size(); i++) {
      final Double weight = weights.get(i);
      if (weight == null || !(weight >= 0) || !Double.isFinite(weight)) {
        v.problems.add(Problem.of(StudyKey.WEIGHTS, i, null, "must be a finite number >= 0 (got " + weight + ")"));
      }
    }
    return List.copyOf(v.problems);
  }

  /** The enum constant named by a study-file value such as "round_robin", or null if there is none. */
  static <E extends Enum<E>> E parse(final Class<E> type, final String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (final IllegalArgumentException e) {
      return null;
    }
  }

  private void etaAndResources(final int eta, final long minResource, final long maxResource) {
    if (eta < 2) {
      problems.add(Problem.of(StudyKey.ETA, "must be at least 2 (got " + eta + "); 3 is the usual choice"));
    }
    if (minResource < 1) {
      problems.add(Problem.of(StudyKey.MIN_RESOURCE, "must be at least 1 (got " + minResource + ")"));
    }
    if (maxResource < minResource) {
      problems.add(Problem.of(StudyKey.MAX_RESOURCE, "must be at least {minResource} " + minResource + " (got " + maxResource + ")"));
    }
  }
}
