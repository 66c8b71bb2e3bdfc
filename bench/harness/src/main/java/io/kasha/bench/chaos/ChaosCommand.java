package io.kasha.bench.chaos;

import io.kasha.cli.PluggedCommand;
import io.kasha.runner.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kasha chaos}: the fault campaign. Plugged into {@code kasha} from the benchmark module, so the command
 * users deploy carries none of it. Reads the options, runs one {@link Campaign}, prints its {@link CampaignReport}
 * and exits 0 only if the study completed and every check passed.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run one ASHA study through real faults and check that nothing was lost or done twice.",
        "",
        "Starts, as processes of their own on this machine, a Kafka broker (kasha broker, KRaft), the scheduler "
            + "(kasha scheduler) and runners (kasha runner); submits one ASHA study with kasha submit, over the "
            + "Branin function taking --step-ms per step, so that jobs take real time and promoted trials resume "
            + "from checkpoints. While it runs, it SIGKILLs runners (each started again at once; each kill strikes "
            + "a runner with a job running), SIGKILLs the scheduler (started again; on --wipes of those kills its "
            + "state directory is deleted first, so it restores from the changelog topics), and SIGKILLs the "
            + "broker and starts it again on the same directory and port. The faults strike at random points of "
            + "the study's progress, drawn from --seed. The broker runs with a 15 s share-group lock, the "
            + "scheduler with a 10 s session timeout, so that the work of a killed process moves on sooner.",
        "",
        "Once the study has ended it reads the study's whole audit log and prints the faults injected, the "
            + "trials, results, re-issued jobs and failed trials, and the checks: the study completed; the audit "
            + "of kasha events ID --verify finds no violation; the events are numbered without gap or repeat; no "
            + "(trial, rung) has two results; no trial was lost (each created trial ended completed, paused, "
            + "stopped or failed); every fault was injected; no process ended on its own.",
        "",
        "Exit status: 0 when the study completed and every check passed, 1 otherwise, 2 for bad options.",
        ""})
public final class ChaosCommand implements Callable<Integer>, PluggedCommand {

  @Option(names = "--short", description = "The short campaign, for CI (about 2 to 3 minutes on 2 cores): 3 runner "
      + "kills, 1 scheduler kill with its state wiped, 1 broker restart; 2 runners, 27 trials, steps 1 to 9, "
      + "500 ms a step. Options given beside it still apply.")
  boolean shortForm;

  @Option(names = "--seed", defaultValue = "7", paramLabel = "N",
      description = "Seed of the faults' moments and targets, and of the study's sampler (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--runner-kills", paramLabel = "N", description = "Runner SIGKILLs (default: 20; short 3).")
  Integer runnerKills;

  @Option(names = "--scheduler-kills", paramLabel = "N", description = "Scheduler SIGKILLs (default: 5; short 1).")
  Integer schedulerKills;

  @Option(names = "--wipes", paramLabel = "N",
      description = "Scheduler kills that wipe its state directory first (default: 2; short 1).")
  Integer wipes;

  @Option(names = "--broker-restarts", paramLabel = "N",
      description = "Broker SIGKILLs, each followed by a start on the same directory and port (default: 1; short 1).")
  Integer brokerRestarts;

  @Option(names = "--runners", paramLabel = "N", description = "Runner processes (default: 3; short 2).")
  Integer runners;

  @Option(names = "--slots", paramLabel = "N", description = "Slots of each runner (default: 2).")
  Integer slots;

  @Option(names = "--trials", paramLabel = "N", description = "The study's max_trials (default: 81; short 27).")
  Integer trials;

  @Option(names = "--max-resource", paramLabel = "N",
      description = "The study's top rung, in steps; rungs 1, 3, 9... (default: 27; short 9).")
  Integer maxResource;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "The study's job slots (default: runners x slots).")
  Integer parallelism;

  @Option(names = "--step-ms", paramLabel = "MS", description = "Time each step of a job takes (default: 1000; short 500).")
  Long stepMs;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "How long the study may run (default: 45m; short 10m).")
  String timeout;

  @Option(names = {"-c", "--scheduler-config"}, paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting of the scheduler, after the campaign's own.")
  List<String> schedulerConfig = new ArrayList<>();

  @Option(names = {"-r", "--runner-option"}, paramLabel = "OPTION",
      description = {"An option of every kasha runner process, written with '=', e.g. "
          + "--runner-option=--checkpoint-store=s3://bucket/kasha --runner-option=--s3-endpoint=http://minio:9000 "
          + "--runner-option=--s3-path-style: the runners then keep their checkpoints there instead of the "
          + "campaign's shared directory (credentials from the environment, which the runners inherit)."})
  List<String> runnerOptions = new ArrayList<>();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures and checks to FILE as JSON.")
  Path json;

  @Option(names = "--dir", paramLabel = "DIR", description = "Work directory: data and every process's logs; new or "
      + "empty (default: a new temporary directory, deleted after a campaign that passes unless --keep).")
  Path dir;

  @Option(names = "--keep", description = "Keep the work directory after a campaign that passes.")
  boolean keep;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final CampaignSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("kasha: " + e.getMessage());
      return 2;
    }
    final List<String> problems = settings.problems();
    if (dir != null && Files.isDirectory(dir) && !isEmpty(dir)) {
      problems.add("--dir " + dir + " is not empty: give a new or empty directory");
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("kasha: " + problem));
      return 2;
    }
    final Path work = dir != null ? Files.createDirectories(dir).toAbsolutePath()
        : Files.createTempDirectory("kasha-chaos-");
    out.println("chaos: " + settings.describe());
    final CampaignResult result;
    try {
      result = new Campaign(settings, work, out).run();
    } catch (RuntimeException e) {
      err.println("kasha: the campaign stopped: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.println("kasha: logs in " + work);
      return 1;
    }
    CampaignReport.print(result, out);
    if (json != null) {
      CampaignReport.writeJson(result, json);
    }
    if (result.passed() && !keep && dir == null) {
      deleteTree(work);
    }
    return result.passed() ? 0 : 1;
  }

  CampaignSettings settings() {
    final int runnerCount = or(runners, shortForm ? 2 : 3);
    final int slotCount = or(slots, 2);
    return new CampaignSettings(shortForm, seed, or(runnerKills, shortForm ? 3 : 20),
        or(schedulerKills, shortForm ? 1 : 5), or(wipes, shortForm ? 1 : 2), or(brokerRestarts, 1), runnerCount,
        slotCount, or(trials, shortForm ? 27 : 81), or(maxResource, shortForm ? 9 : 27),
        or(parallelism, runnerCount * slotCount), stepMs != null ? stepMs : shortForm ? 500 : 1000,
        timeout(), schedulerConfig, runnerOptions);
  }

  private Duration timeout() {
    if (timeout == null) {
      return Duration.ofMinutes(shortForm ? 10 : 45);
    }
    try {
      return Durations.parse(timeout);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--timeout: " + e.getMessage(), e);
    }
  }

  private static int or(final Integer value, final int otherwise) {
    return value != null ? value : otherwise;
  }

  private static boolean isEmpty(final Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteTree(final Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
