package io.kasha.bench.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.benchmark.BenchmarkFunctions;
import io.kasha.benchmark.Hartmann;
import io.kasha.method.RungSchedule;
import io.kasha.sim.Method;
import io.kasha.sim.Simulation;
import io.kasha.sim.SimulationConfig;
import io.kasha.sim.SimulationListener;
import io.kasha.sim.SimulationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kasha bench sim}: the tuning methods compared in virtual time on a benchmark function, with
 * no broker: ASHA through the scheduler's own policy, synchronous SHA, Hyperband and random search,
 * for each number of workers and seed. See {@link SimBenchDefaults} for the default budget and target.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compare ASHA, synchronous SHA, Hyperband and random search in virtual-time simulation.",
        "",
        "For each method and number of workers, over seeds 0..N-1: worker utilization (busy worker-time over "
            + "workers x span), configurations evaluated per rung, the incumbent's regret over virtual time, "
            + "the virtual time to reach the target regret and the speedup over 1 worker (mean time with 1 "
            + "worker over mean time with W, among the seeds that reached it).",
        "",
        "The budget is virtual time (--max-seconds), optionally a number of trials too."})
public final class SimBenchCommand implements Callable<Integer> {

  @Option(names = "--benchmark", defaultValue = "hartmann6", paramLabel = "NAME",
      description = "Benchmark function (default: ${DEFAULT-VALUE}).")
  String benchmark;

  @Option(names = "--workers", defaultValue = "1,25,500", split = ",", paramLabel = "N",
      description = "Numbers of workers (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(names = "--methods", defaultValue = "asha,sha,hyperband,random", split = ",", paramLabel = "NAME",
      description = "Methods (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--seeds", defaultValue = "10", paramLabel = "N",
      description = "Seeds per method and number of workers (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--noise-free", description = "Drop Hartmann's noise term (eps = 0), so that the incumbent is "
      + "chosen by its true loss; only for hartmann3 and hartmann6, the other functions have no such term.")
  boolean noiseFree;

  @Option(names = "--straggler-sigma", defaultValue = "0", paramLabel = "SIGMA",
      description = "Each job lasts 1 + |N(0, SIGMA)| times its cost (default: ${DEFAULT-VALUE}).")
  double stragglerSigma;

  @Option(names = "--drop-probability", defaultValue = "0", paramLabel = "P",
      description = "Probability that a running job is lost in each virtual second (default: ${DEFAULT-VALUE}).")
  double dropProbability;

  @Option(names = "--max-seconds", paramLabel = "S",
      description = "Virtual-time limit of each study (default: per benchmark, 360000 for hartmann6).")
  Double maxSeconds;

  @Option(names = "--max-trials", paramLabel = "N", description = "Trial limit of each study (default: none).")
  Long maxTrials;

  @Option(names = "--target", paramLabel = "REGRET",
      description = "Target regret for the time to target (default: per benchmark, 1.0 for hartmann6).")
  Double target;

  @Option(names = "--eta", defaultValue = "3", paramLabel = "ETA", description = "Reduction factor (default: ${DEFAULT-VALUE}).")
  int eta;

  @Option(names = "--min-resource", paramLabel = "R", description = "Minimum resource (default: the benchmark's).")
  Long minResource;

  @Option(names = "--max-resource", paramLabel = "R", description = "Maximum resource (default: the benchmark's).")
  Long maxResource;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--pipeline", description = "Let the real pipeline make the decisions: an embedded KRaft broker "
      + "and the exactly-once Kafka Streams scheduler, with the simulated workers in place of the runners and time "
      + "advanced by the simulator. Each study also runs in memory and must decide exactly alike, or the command "
      + "fails. A report costs a few milliseconds of real time, so give a budget of some thousand trials "
      + "(--max-trials, or a shorter --max-seconds). SHA without a trial limit, one study per bracket, runs in "
      + "memory only.")
  boolean pipeline;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final List<String> problems = new ArrayList<>();
    final Optional<BenchmarkFunction> function = function(problems);
    final List<Method> chosen = methods(problems);
    if (workers.stream().anyMatch(count -> count < 1)) {
      problems.add("--workers must all be at least 1, got " + workers);
    }
    if (seeds < 1) {
      problems.add("--seeds must be at least 1, got " + seeds);
    }
    SimulationConfig base = null;
    if (function.isPresent() && problems.isEmpty()) {
      try {
        base = config(function.get());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("kasha: " + problem));
      err.flush();
      return 2;
    }
    final double targetRegret = target != null ? target : SimBenchDefaults.of(function.get()).targetRegret();
    final List<SimBenchRun> runs;
    if (pipeline) {
      err.println("bench sim: starting an embedded broker and the scheduler for the methods' decisions");
      err.flush();
      try (PipelineSimulator simulator = PipelineSimulator.start()) {
        runs = SimBench.run(base, chosen, workers, seeds, targetRegret, config -> {
          if (!PipelineSimulator.supports(config)) {
            return Simulation.run(config);
          }
          final long begin = System.nanoTime();
          final SimulationResult throughKafka = simulator.run(config, new SimulationListener() {});
          if (!throughKafka.equals(Simulation.run(config))) {
            throw new IllegalStateException("seed " + config.seed() + ", " + config.workers() + " workers: the "
                + "pipeline's study differs from the in-memory one");
          }
          err.printf(Locale.ROOT, "bench sim: %s, %d workers, seed %d through the pipeline: %d trials, %.0f virtual "
              + "s in %.1f s, same decisions as in memory%n", config.method().name().toLowerCase(Locale.ROOT),
              config.workers(), config.seed(), throughKafka.trials(),
              throughKafka.virtualSeconds(), (System.nanoTime() - begin) / 1e9);
          err.flush();
          return throughKafka;
        });
      }
    } else {
      runs = SimBench.run(base, chosen, workers, seeds, targetRegret);
    }
    final Settings settings = new Settings(base.function().name(), noiseFree, base.minResource(), base.maxResource(), base.eta(),
        base.maxSeconds(), base.maxTrials() == SimulationConfig.NO_TRIAL_LIMIT ? null : base.maxTrials(), seeds,
        stragglerSigma, dropProbability, targetRegret, base.function().optimum(), pipeline,
        RungSchedule.of(base.minResource(), base.maxResource(), base.eta(), 0).resources());
    if (json) {
      final Map<String, Object> report = new LinkedHashMap<>();
      report.put("settings", settings);
      report.put("runs", runs);
      out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(report));
    } else {
      out.print(SimBenchTable.render(settings, runs));
    }
    out.flush();
    return 0;
  }

  /** What the study looked like, printed beside the runs. */
  record Settings(String benchmark, boolean noiseFree, long minResource, long maxResource, int eta, double maxSeconds, Long maxTrials,
      int seeds, double stragglerSigma, double dropProbability, double targetRegret, double optimum,
      boolean ashaThroughPipeline, List<Long> rungResources) {}

  private SimulationConfig config(final BenchmarkFunction function) {
    final SimBenchDefaults defaults = SimBenchDefaults.of(function);
    return new SimulationConfig(function, Method.ASHA, 1,
        minResource != null ? minResource : function.defaultMinResource(),
        maxResource != null ? maxResource : function.defaultMaxResource(), eta,
        maxTrials != null ? maxTrials : SimulationConfig.NO_TRIAL_LIMIT,
        maxSeconds != null ? maxSeconds : defaults.maxSeconds(), 0, stragglerSigma, dropProbability, true);
  }

  private Optional<BenchmarkFunction> function(final List<String> problems) {
    try {
      final BenchmarkFunction named = BenchmarkFunctions.named(benchmark);
      if (!noiseFree) {
        return Optional.of(named);
      }
      if (named instanceof Hartmann hartmann) {
        return Optional.of(hartmann.deterministic());
      }
      problems.add("--noise-free applies to hartmann3 and hartmann6 only, got --benchmark " + benchmark);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  private List<Method> methods(final List<String> problems) {
    final List<Method> chosen = new ArrayList<>();
    for (final String name : methods) {
      final Optional<Method> method = Arrays.stream(Method.values())
          .filter(m -> m.name().equalsIgnoreCase(name.trim()))
          .findFirst();
      if (method.isPresent()) {
        chosen.add(method.get());
      } else {
        problems.add("unknown method '" + name + "' (known: " + Arrays.stream(Method.values())
            .map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
      }
    }
    return chosen;
  }
}
