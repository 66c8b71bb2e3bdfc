package io.kasha.spec;

import io.kasha.method.SchedulerSettings;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a study's scheduling rule and its knobs: each knob set must be read by the chosen rule, and
 * the rule's own checks ({@link MethodValidator}) must pass. Which rules read a knob is the
 * catalogue's ({@link StudyKey#methods()}); each problem names the knob and the fix. Runs after the
 * study's own checks, and only on resources and eta those checks accept, so a problem is never
 * reported twice.
 */
public final class SchedulerValidator {

  private final List<Problem> problems = new ArrayList<>();
  private final SchedulerKind kind;

  private SchedulerValidator(final SchedulerKind kind) {
    this.kind = kind;
  }

  /** Every problem of the spec's scheduler and its knobs; empty if they are consistent. */
  public static List<Problem> validate(final StudySpec spec) {
    final SchedulerKind kind = spec.getScheduler() == null ? SchedulerKind.ASHA : spec.getScheduler();
    final SchedulerValidator v = new SchedulerValidator(kind);
    final SchedulerOptions o = spec.getSchedulerOptions() == null
        ? SchedulerOptions.newBuilder().build() : spec.getSchedulerOptions();
    v.readBy(StudyKey.MIN_RUNG_SIZE, o.getMinRungSize());
    v.readBy(StudyKey.BRACKETS, o.getBrackets());
    v.readBy(StudyKey.BRACKET_RULE, o.getBracketRule());
    v.readBy(StudyKey.TIES, o.getTies());
    v.readBy(StudyKey.GRACE_PERIOD, o.getGracePeriod());
    v.readBy(StudyKey.MIN_SAMPLES, o.getMinSamples());
    v.readBy(StudyKey.PERTURBATION_INTERVAL, o.getPerturbationInterval());
    v.readBy(StudyKey.QUANTILE_FRACTION, o.getQuantileFraction());
    v.readBy(StudyKey.RESAMPLE_PROBABILITY, o.getResampleProbability());
    v.readBy(StudyKey.PERTURBATION_FACTORS, o.getPerturbationFactors().isEmpty() ? null : o.getPerturbationFactors());
    v.readBy(StudyKey.HYPERPARAM_MUTATIONS, o.getHyperparamMutations().isEmpty() ? null : o.getHyperparamMutations());
    v.readBy(StudyKey.OBJECTIVES, o.getObjectives().isEmpty() ? null : o.getObjectives());
    v.readBy(StudyKey.TIE_BREAK, o.getTieBreak());
    v.readBy(StudyKey.WEIGHTS, o.getWeights().isEmpty() ? null : o.getWeights());
    if (spec.getEarlyStoppingRate() > 0 && !StudyKey.EARLY_STOPPING_RATE.readBy(kind)) {
      v.problems.add(Problem.of(StudyKey.EARLY_STOPPING_RATE, "the " + name(kind) + " scheduler does not read it "
          + "(got " + spec.getEarlyStoppingRate() + "); remove it, or raise {minResource} instead"));
    }
    if (spec.getEta() >= 2 && spec.getMinResource() >= 1 && spec.getMaxResource() >= spec.getMinResource()) {
      v.rule(spec, o);
    }
    return List.copyOf(v.problems);
  }

  private void rule(final StudySpec spec, final SchedulerOptions o) {
    final SchedulerSettings s = SchedulerSettings.of(spec, withValidEnums(o));
    final int eta = spec.getEta();
    final long min = spec.getMinResource();
    final long max = spec.getMaxResource();
    switch (kind) {
      case ASHA -> {
        problems.addAll(MethodValidator.asha(eta, min, max, s.minRungSize()));
        if (o.getTies() != null && !valid(io.kasha.method.TiePolicy.class, o.getTies())) {
          problems.add(Problem.of(StudyKey.TIES, "must be " + StudyKey.TIES.allowed().replace(", ", " or ")
              + " (got '" + o.getTies() + "')"));
        }
      }
      case ASHA_STOPPING -> problems.addAll(MethodValidator.asha(eta, min, max, s.minRungSize()));
      case ASYNC_HYPERBAND -> problems.addAll(MethodValidator.asyncHyperband(eta, min, max, s.brackets(),
          o.getBracketRule()));
      case HYPERBAND_STOPPING -> {
        problems.addAll(MethodValidator.asyncHyperband(eta, min, max, s.brackets(), o.getBracketRule()));
        problems.addAll(MethodValidator.asha(eta, min, max, s.minRungSize()));
      }
      case MEDIAN_STOPPING -> {
        problems.addAll(MethodValidator.medianStopping(s.gracePeriod(), s.minSamples(), max));
        problems.addAll(MethodValidator.segments(StudyKey.MIN_RESOURCE, name(kind), min, max));
      }
      case SHA -> problems.addAll(MethodValidator.successiveHalving(eta, min, max, spec.getMaxTrials()));
      case HYPERBAND -> problems.addAll(MethodValidator.hyperband(eta, min, max, s.brackets(), spec.getMaxTrials()));
      case PBT -> pbt(spec, o, s);
      case MO_ASHA -> objectives(spec, o, s);
      default -> { }
    }
  }

  private void pbt(final StudySpec spec, final SchedulerOptions o, final SchedulerSettings s) {
    if (o.getPerturbationInterval() == null) {
      problems.add(Problem.of(StudyKey.PERTURBATION_INTERVAL, "required by the pbt scheduler; set the resource "
          + "trained between two looks at the population, for example " + Math.max(1, spec.getMaxResource() / 4)));
    }
    problems.addAll(MethodValidator.pbt(o.getPerturbationInterval() == null ? 1 : s.perturbationInterval(),
        s.quantileFraction(), s.resampleProbability(), s.perturbationFactors(), s.checkpoints(),
        s.hyperparamMutations().size(), spec.getMaxResource()));
    if (o.getPerturbationInterval() != null && s.perturbationInterval() < spec.getMaxResource()) {
      problems.addAll(MethodValidator.segments(StudyKey.PERTURBATION_INTERVAL, name(kind), s.perturbationInterval(),
          spec.getMaxResource()));
    }
    final Set<String> params = spec.getParams() == null ? Set.of()
        : spec.getParams().stream().map(ParamSpec::getName).collect(Collectors.toSet());
    for (int i = 0; i < o.getHyperparamMutations().size(); i++) {
      final String name = o.getHyperparamMutations().get(i);
      if (!params.contains(name)) {
        problems.add(Problem.of(StudyKey.HYPERPARAM_MUTATIONS, i, null, "'" + name + "' is not a parameter of the "
            + "search space (parameters: " + params.stream().sorted().toList() + "); name one of them"));
      }
    }
  }

  private void objectives(final StudySpec spec, final SchedulerOptions o, final SchedulerSettings s) {
    final List<ObjectiveSpec> objectives = o.getObjectives();
    problems.addAll(MethodValidator.objectives(
        objectives.stream().map(ObjectiveSpec::getMetric).toList(),
        objectives.stream().map(x -> x.getMode() == null ? null : x.getMode().name()).toList(),
        o.getTieBreak(), o.getWeights()));
    if (!objectives.isEmpty() && (!objectives.get(0).getMetric().equals(spec.getMetric())
        || objectives.get(0).getMode() != spec.getMode())) {
      problems.add(Problem.of(StudyKey.OBJECTIVES, 0, null, "must be the study's metric and mode ("
          + spec.getMetric() + " " + spec.getMode() + "), got " + objectives.get(0).getMetric() + " "
          + objectives.get(0).getMode() + "; list the study's metric first"));
    }
    problems.addAll(MethodValidator.asha(spec.getEta(), spec.getMinResource(), spec.getMaxResource(),
        s.minRungSize()));
  }

  /** The knobs with enum-valued strings the validator reports itself replaced by their defaults. */
  private static SchedulerOptions withValidEnums(final SchedulerOptions o) {
    final SchedulerOptions.Builder options = SchedulerOptions.newBuilder(o);
    if (o.getBracketRule() != null && !valid(io.kasha.method.BracketRule.class, o.getBracketRule())) {
      options.setBracketRule(null);
    }
    if (o.getTieBreak() != null && !valid(io.kasha.method.TieBreak.class, o.getTieBreak())) {
      options.setTieBreak(null);
    }
    if (o.getTies() != null && !valid(io.kasha.method.TiePolicy.class, o.getTies())) {
      options.setTies(null);
    }
    return options.build();
  }

  private static <E extends Enum<E>> boolean valid(final Class<E> type, final String value) {
    try {
      Enum.valueOf(type, SchedulerSettings.upper(value));
      return true;
    } catch (final IllegalArgumentException e) {
      return false;
    }
  }

  private void readBy(final StudyKey key, final Object value) {
    if (value != null && !key.readBy(kind)) {
      final String readers = String.join(" or ", StudyKey.methodNames().stream().filter(key.methods()::contains)
          .toList());
      problems.add(Problem.of(key, "only the " + readers + " scheduler reads it ({scheduler} is " + name(kind)
          + "); remove it or set {scheduler} to " + readers));
    }
  }

  static String name(final SchedulerKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
