package io.kasha.bench.chaos;

import io.kasha.method.RungSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a campaign is run with: the faults to inject, the processes, the study, and the limits.
 *
 * @param shortForm whether these are the {@code --short} defaults (for the figures only)
 * @param seed the seed of the fault plan, of the choice of runners to kill, and of the study's sampler
 * @param runnerKills runner processes to SIGKILL (each is started again at once)
 * @param schedulerKills times to SIGKILL the scheduler (started again at once)
 * @param wipes how many of the scheduler kills delete its state directory before the restart
 * @param brokerRestarts times to SIGKILL the broker and start it again on the same directory and port
 * @param runners runner processes running at once
 * @param slots job slots of each runner
 * @param trials the study's trial budget ({@code budget.max_trials})
 * @param maxResource the study's top rung ({@code scheduler.resource.max}); rungs 1, 3, 9... with eta 3
 * @param parallelism the study's job slots ({@code scheduler.parallelism})
 * @param stepMs milliseconds each unit of resource takes
 * @param timeout how long the study may run before the campaign gives up
 * @param schedulerConfig extra {@code KEY=VALUE} settings of the scheduler
 * @param runnerOptions extra options of every {@code kasha runner} process, as its command line takes
 *     them (for example {@code --checkpoint-store=s3://bucket/prefix}, which replaces the campaign's
 *     shared checkpoint directory)
 */
record CampaignSettings(boolean shortForm, long seed, int runnerKills, int schedulerKills, int wipes,
    int brokerRestarts, int runners, int slots, int trials, int maxResource, int parallelism, long stepMs,
    Duration timeout, List<String> schedulerConfig, List<String> runnerOptions) {

  static final int ETA = 3;

  CampaignSettings {
    schedulerConfig = List.copyOf(schedulerConfig);
    runnerOptions = List.copyOf(runnerOptions);
  }

  /** What is wrong with these settings, one line each; empty if nothing. */
  List<String> problems() {
    final List<String> problems = new ArrayList<>();
    atLeast(problems, "--runner-kills", runnerKills, 0);
    atLeast(problems, "--scheduler-kills", schedulerKills, 0);
    atLeast(problems, "--wipes", wipes, 0);
    atLeast(problems, "--broker-restarts", brokerRestarts, 0);
    atLeast(problems, "--runners", runners, 1);
    atLeast(problems, "--slots", slots, 1);
    atLeast(problems, "--trials", trials, ETA);
    atLeast(problems, "--max-resource", maxResource, ETA);
    atLeast(problems, "--parallelism", parallelism, 1);
    if (wipes > schedulerKills) {
      problems.add("--wipes " + wipes + " is more than --scheduler-kills " + schedulerKills
          + ": a wipe happens on a scheduler kill");
    }
    if (stepMs < 1) {
      problems.add("--step-ms must be at least 1, got " + stepMs);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      problems.add("--timeout must be positive, got " + timeout);
    }
    for (final String option : runnerOptions) {
      if (!option.startsWith("--")) {
        problems.add("--runner-option takes a runner option such as --checkpoint-store=URI, got '" + option + "'");
      }
    }
    for (final String setting : schedulerConfig) {
      if (!setting.contains("=") || setting.startsWith("=")) {
        problems.add("--scheduler-config takes KEY=VALUE, got '" + setting + "'");
      }
    }
    return problems;
  }

  /** The study's rungs: 1, 3, 9... up to {@link #maxResource}. */
  RungSchedule rungs() {
    return RungSchedule.of(1, maxResource, ETA, 0);
  }

  /**
   * The least work the study needs, in units of resource: each rung k holds at least {@code floor(n_(k-1) / eta)}
   * results once it is over, every one of them trained from the rung below. ASHA, promoting before rungs fill,
   * usually trains more.
   */
  long leastWork() {
    final RungSchedule rungs = rungs();
    long results = trials;
    long work = 0;
    for (int k = 0; k < rungs.size(); k++) {
      work += results * (rungs.resource(k) - (k == 0 ? 0 : rungs.resource(k - 1)));
      results /= ETA;
    }
    return work;
  }

  int faults() {
    return runnerKills + schedulerKills + brokerRestarts;
  }

  /** The study file the campaign submits with {@code kasha submit}. */
  String studyFile() {
    return String.join("\n",
        "# The study of kasha chaos: ASHA over the multi-fidelity Branin function, " + stepMs + " ms per step.",
        "name: chaos",
        "entrypoint: " + PacedObjective.NAME,
        "objective: {metric: " + PacedObjective.METRIC + ", mode: min}",
        "search:",
        "  sampler: random",
        "  seed: " + seed,
        "  params:",
        "    x1: {type: float, low: -5.0, high: 10.0}",
        "    x2: {type: float, low: 0.0, high: 15.0}",
        "    " + PacedObjective.STEP_MS + ": {choices: [" + stepMs + "]}",
        "    " + PacedObjective.MAX_RESOURCE + ": {choices: [" + maxResource + "]}",
        "scheduler:",
        "  method: asha",
        "  eta: " + ETA,
        "  resource: {name: step, min: 1, max: " + maxResource + "}",
        "  parallelism: " + parallelism,
        "budget:",
        "  max_trials: " + trials,
        "jobs: {lease: 2m, max_attempts: 3}",
        "");
  }

  /** One line for the head of the report. */
  String describe() {
    return String.format(Locale.ROOT, "%s campaign, seed %d: %d runner kills, %d scheduler kills (%d wiping its "
            + "state), %d broker restarts; %d runners x %d slots; ASHA over %d trials, steps 1 to %d, eta %d, "
            + "parallelism %d, %d ms a step", shortForm ? "short" : "full", seed, runnerKills, schedulerKills, wipes,
        brokerRestarts, runners, slots, trials, maxResource, ETA, parallelism, stepMs)
        + runnerOptions.stream().filter(option -> option.startsWith("--checkpoint-store=")).findFirst()
            .map(option -> "; checkpoints in " + option.substring("--checkpoint-store=".length()))
            .orElse("; checkpoints in the work directory");
  }

  private static void atLeast(final List<String> problems, final String option, final long value, final long min) {
    if (value < min) {
      problems.add(option + " must be at least " + min + ", got " + value);
    }
  }
}
