package io.kasha.method;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudySpec;
import io.kasha.store.OrderedStore;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link TuningMethod} a validated study spec chooses, over the scheduler's shared store. */
public final class TuningMethods {

  private TuningMethods() {}

  public static TuningMethod forSpec(final String studyId, final StudySpec spec, final long trialLimit,
      final OrderedStore store) {
    final SchedulerSettings s = SchedulerSettings.of(spec);
    final Direction direction = Direction.of(spec.getMode());
    final String metric = spec.getMetric();
    final int eta = spec.getEta();
    final long min = spec.getMinResource();
    final long max = spec.getMaxResource();
    final TrialResults results = new TrialResults(store, studyId);
    return switch (s.kind()) {
      case ASHA -> {
        final RungSchedule schedule = ashaSchedule(spec);
        yield new AshaMethod(new AshaPolicy(store, studyId, schedule, eta, direction, s.minRungSize(), s.ties()), schedule,
            metric);
      }
      case ASHA_STOPPING -> {
        final RungSchedule schedule = ashaSchedule(spec);
        final StoppingAsha rule = new StoppingAsha(store, studyId, schedule, eta, direction, s.minRungSize());
        yield new StoppingMethod((trial, rung, resource, value) -> rule.record(rung, trial, value),
            trial -> schedule, trial -> { }, results, metric);
      }
      case HYPERBAND_STOPPING -> {
        final StoppingHyperband rule = new StoppingHyperband(store, studyId, min, max, eta, direction, s.brackets(),
            s.bracketRule(), spec.getSeed(), s.minRungSize());
        yield new StoppingMethod((trial, rung, resource, value) -> rule.record(trial, rung, value),
            trial -> rule.schedule(rule.bracketOf(trial).orElseThrow()), rule::assign, results, metric);
      }
      case ASYNC_HYPERBAND -> new AsyncHyperbandMethod(new AsyncHyperband(store, studyId, min, max, eta, direction,
          s.brackets(), s.bracketRule(), spec.getSeed()), results, metric);
      case MEDIAN_STOPPING -> {
        final RungSchedule schedule = linear(min, max);
        final MedianStopping rule = new MedianStopping(store, studyId, direction, s.gracePeriod(),
            s.minSamples());
        yield new StoppingMethod((trial, rung, resource, value) -> rule.record(trial, resource, value),
            trial -> schedule, trial -> { }, results, metric);
      }
      case PBT -> new PbtMethod(new PopulationBasedTraining(store, studyId, direction, s.perturbationInterval(),
          s.quantileFraction(), s.resampleProbability(), s.perturbationFactors(), mutations(spec, s),
          spec.getSeed()), linear(s.perturbationInterval(), max), results, metric);
      case MO_ASHA -> {
        final RungSchedule schedule = ashaSchedule(spec);
        yield new MoAshaMethod(new MultiObjectiveAsha(store, studyId, schedule, eta, s.objectives(), s.tieBreak(),
            s.weights(), s.minRungSize()), schedule, s.objectives(), results);
      }
      case SHA, HYPERBAND -> new SynchronousMethod(new SynchronousBrackets(store, studyId, brackets(spec, s, trialLimit),
          direction, trialLimit), results, metric);
    };
  }

  /**
   * The brackets a synchronous study runs, in order: for SHA one bracket of every trial the study may
   * create, over every rung; for Hyperband the first {@code brackets} brackets of one iteration,
   * s = s_max down (the most aggressive first, as bracket 0 of the asynchronous form is).
   */
  public static List<Bracket> brackets(final StudySpec spec, final SchedulerSettings s, final long trialLimit) {
    if (s.kind() == io.kasha.schemas.SchedulerKind.SHA) {
      return List.of(Bracket.successiveHalving(trialLimit, spec.getMinResource(), spec.getMaxResource(),
          spec.getEta()));
    }
    return Bracket.hyperband(spec.getMinResource(), spec.getMaxResource(), spec.getEta()).subList(0, s.brackets());
  }


  /** The geometric rungs of the ASHA forms: {@code min_resource * eta^(k + s)}, then max_resource. */
  public static RungSchedule ashaSchedule(final StudySpec spec) {
    return RungSchedule.of(spec.getMinResource(), spec.getMaxResource(), spec.getEta(), spec.getEarlyStoppingRate());
  }

  /** Segments of equal length: {@code step, 2 step, ...} below max, then max. */
  public static RungSchedule linear(final long step, final long max) {
    final List<Long> resources = new ArrayList<>();
    for (long r = step; r < max; r += step) {
      resources.add(r);
    }
    resources.add(max);
    return new RungSchedule(resources);
  }

  private static List<PbtParam> mutations(final StudySpec spec, final SchedulerSettings s) {
    final List<PbtParam> mutations = new ArrayList<>();
    for (final ParamSpec param : spec.getParams()) {
      if (!s.hyperparamMutations().contains(param.getName())) {
        continue;
      }
      if (param.getType() == ParamType.CATEGORICAL) {
        mutations.add(new PbtParam.Choices(param.getName(), new ArrayList<>(param.getChoices())));
      } else {
        mutations.add(new PbtParam.Range(param.getName(), param.getLow(), param.getHigh(),
            param.getType() == ParamType.INT, param.getLog()));
      }
    }
    return mutations;
  }
}
