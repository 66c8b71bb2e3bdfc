package io.kasha.method;

import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudySpec;
import java.util.List;
import java.util.Locale;

/**
 * A study's scheduling rule and its knobs with every default filled in. Built only from a spec the
 * validator accepted.
 *
 * @param minRungSize stopping variants and MO-ASHA: results a rung needs before it judges (default 1)
 * @param brackets Hyperband forms: number of brackets (default all that min_resource, max_resource and eta allow)
 * @param bracketRule Hyperband forms: how a new trial gets its bracket (default round robin)
 * @param gracePeriod median rule: no trial is judged before this resource (default min_resource)
 * @param minSamples median rule: other trials needed at a step before judging there (default 3)
 * @param perturbationInterval PBT: resource units per segment (required)
 * @param quantileFraction PBT: size of the top and bottom quantiles (default 0.25)
 * @param resampleProbability PBT: chance an explored parameter is redrawn (default 0.25)
 * @param perturbationFactors PBT: factors of a perturbation (default 1.2 and 0.8)
 * @param hyperparamMutations PBT: the parameters it may change (default every parameter)
 * @param objectives MO-ASHA: the objectives in declared order (the study's metric alone otherwise)
 * @param tieBreak MO-ASHA: order within a front (default crowding distance)
 * @param weights MO-ASHA with a weighted sum: one per objective, or none for all 1
 * @param ties ASHA: which of two equal results ranks first (default the earlier)
 */
public record SchedulerSettings(
    SchedulerKind kind, long minRungSize, int brackets, BracketRule bracketRule, long gracePeriod, int minSamples,
    long perturbationInterval, double quantileFraction, double resampleProbability, List<Double> perturbationFactors,
    List<String> hyperparamMutations, boolean checkpoints, List<Objective> objectives, TieBreak tieBreak,
    List<Double> weights, TiePolicy ties) {

  public static final long DEFAULT_MIN_RUNG_SIZE = 1;
  public static final int DEFAULT_MIN_SAMPLES = 3;
  public static final double DEFAULT_QUANTILE_FRACTION = 0.25;
  public static final double DEFAULT_RESAMPLE_PROBABILITY = 0.25;
  public static final List<Double> DEFAULT_PERTURBATION_FACTORS = List.of(1.2, 0.8);

  /** The spec's scheduler with its knobs, unset ones at their defaults. */
  public static SchedulerSettings of(final StudySpec spec) {
    return of(spec, spec.getSchedulerOptions() == null
        ? SchedulerOptions.newBuilder().build() : spec.getSchedulerOptions());
  }

  /** The spec's scheduler with the given knobs in place of its own. */
  public static SchedulerSettings of(final StudySpec spec, final SchedulerOptions o) {
    final SchedulerKind kind = spec.getScheduler() == null ? SchedulerKind.ASHA : spec.getScheduler();
    final List<Objective> objectives = o.getObjectives().isEmpty()
        ? List.of(new Objective(spec.getMetric(), Direction.of(spec.getMode())))
        : o.getObjectives().stream().map(SchedulerSettings::objective).toList();
    return new SchedulerSettings(
        kind,
        or(o.getMinRungSize(), DEFAULT_MIN_RUNG_SIZE),
        o.getBrackets() != null ? o.getBrackets() : defaultBrackets(spec),
        o.getBracketRule() == null ? BracketRule.ROUND_ROBIN : BracketRule.valueOf(upper(o.getBracketRule())),
        or(o.getGracePeriod(), spec.getMinResource()),
        or(o.getMinSamples(), DEFAULT_MIN_SAMPLES),
        or(o.getPerturbationInterval(), 0L),
        or(o.getQuantileFraction(), DEFAULT_QUANTILE_FRACTION),
        or(o.getResampleProbability(), DEFAULT_RESAMPLE_PROBABILITY),
        o.getPerturbationFactors().isEmpty() ? DEFAULT_PERTURBATION_FACTORS : List.copyOf(o.getPerturbationFactors()),
        o.getHyperparamMutations().isEmpty()
            ? (spec.getParams() == null ? List.<String>of() : spec.getParams().stream().map(ParamSpec::getName).toList())
            : List.copyOf(o.getHyperparamMutations()),
        o.getCheckpoints(),
        objectives,
        o.getTieBreak() == null ? TieBreak.CROWDING_DISTANCE : TieBreak.valueOf(upper(o.getTieBreak())),
        List.copyOf(o.getWeights()),
        o.getTies() == null ? TiePolicy.EARLIER : TiePolicy.valueOf(upper(o.getTies())));
  }

  /**
   * {@code s_max + 1}: every bracket of synchronous Hyperband's iteration, or every bracket
   * asynchronous Hyperband can start; 1 if the resources are not valid yet.
   */
  static int defaultBrackets(final StudySpec spec) {
    if (spec.getMinResource() < 1 || spec.getMaxResource() < spec.getMinResource() || spec.getEta() < 2) {
      return 1;
    }
    return spec.getScheduler() == SchedulerKind.HYPERBAND
        ? Bracket.hyperband(spec.getMinResource(), spec.getMaxResource(), spec.getEta()).size()
        : AsyncHyperband.maxBrackets(spec.getMinResource(), spec.getMaxResource(), spec.getEta());
  }


  private static Objective objective(final ObjectiveSpec spec) {
    return new Objective(spec.getMetric(), Direction.of(spec.getMode()));
  }

  public static String upper(final String value) {
    return value.trim().toUpperCase(Locale.ROOT);
  }

  private static <T> T or(final T value, final T fallback) {
    return value == null ? fallback : value;
  }
}
