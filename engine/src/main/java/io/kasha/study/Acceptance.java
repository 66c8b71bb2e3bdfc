package io.kasha.study;

import io.kasha.method.SchedulerSettings;
import io.kasha.method.TuningMethods;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudySpec;
import java.util.Locale;

/** The reason of a study-accepted event: the rule the study runs under and its main settings. */
final class Acceptance {

  private Acceptance() {}

  static String summary(final StudySpec spec, final long trialLimit) {
    final SchedulerSettings s = SchedulerSettings.of(spec);
    final String budget = ", up to " + trialLimit + " trials, " + spec.getParallelism() + " at once";
    final String rungs = TuningMethods.ashaSchedule(spec).resources() + " " + spec.getResourceName();
    return switch (s.kind()) {
      case ASHA -> "rungs " + rungs + ", eta " + spec.getEta() + budget;
      case ASHA_STOPPING -> name(s.kind()) + ": rungs " + rungs + ", eta " + spec.getEta() + ", min_rung_size "
          + s.minRungSize() + budget;
      case ASYNC_HYPERBAND, HYPERBAND_STOPPING -> name(s.kind()) + ": " + s.brackets() + " brackets ("
          + s.bracketRule().name().toLowerCase(Locale.ROOT) + ") from " + spec.getMinResource() + " to "
          + spec.getMaxResource() + " " + spec.getResourceName() + ", eta " + spec.getEta() + budget;
      case MEDIAN_STOPPING -> name(s.kind()) + ": segments of " + spec.getMinResource() + " "
          + spec.getResourceName() + " up to " + spec.getMaxResource() + ", grace_period " + s.gracePeriod()
          + ", min_samples " + s.minSamples() + budget;
      case PBT -> name(s.kind()) + ": segments of " + s.perturbationInterval() + " " + spec.getResourceName()
          + " up to " + spec.getMaxResource() + ", quantile_fraction " + s.quantileFraction() + ", mutating "
          + s.hyperparamMutations() + budget;
      case SHA, HYPERBAND -> name(s.kind()) + ", synchronous: brackets one after another, n/r per rung "
          + TuningMethods.brackets(spec, s, trialLimit).stream().map(Acceptance::table).toList() + " "
          + spec.getResourceName() + ", eta " + spec.getEta() + budget;
      case MO_ASHA -> name(s.kind()) + ": rungs " + rungs + ", eta " + spec.getEta() + ", objectives "
          + s.objectives().stream().map(o -> o.metric() + " " + o.direction()).toList() + ", tie_break "
          + s.tieBreak().name().toLowerCase(Locale.ROOT) + budget;
    };
  }

  /** A bracket as "s=2: 9/3 3/9 1/27". */
  private static String table(final io.kasha.method.Bracket bracket) {
    final StringBuilder text = new StringBuilder("s=" + bracket.s() + ":");
    for (int i = 0; i <= bracket.s(); i++) {
      text.append(' ').append(bracket.configurations().get(i)).append('/').append(bracket.resources().get(i));
    }
    return text.toString();
  }

  private static String name(final SchedulerKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
