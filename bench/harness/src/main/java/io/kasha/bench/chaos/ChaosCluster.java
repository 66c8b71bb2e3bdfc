package io.kasha.bench.chaos;

import io.kasha.cli.Kasha;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of a campaign, each a {@code kasha} command in a JVM of its own started from this one's Java and
 * class path: one broker ({@code kasha broker}), one scheduler ({@code kasha scheduler}) and several runners
 * ({@code kasha runner}), all on 127.0.0.1. It starts them, kills them (SIGKILL) and starts them again, and stops
 * them at the end.
 *
 * <p>Layout of the work directory: {@code broker/} (the broker's data, kept across its restarts),
 * {@code scheduler-state/}, {@code checkpoints/} (shared by the runners), {@code homes/<role>/logs/} (each
 * process's log file) and {@code output/<process>.out} (each process's console, one file per process, so a
 * restarted runner {@code runner-2.3} has its own beside {@code runner-2.1} and {@code runner-2.2}).
 */
final class ChaosCluster implements AutoCloseable {

  /** A broker setting of the campaign: a killed runner's job goes to another runner after 15 s, not 30. */
  static final String SHARE_LOCK = "group.share.record.lock.duration.ms=15000";
  /** A scheduler setting of the campaign: a killed scheduler's partitions are reassigned after 10 s, not 45. */
  static final String SESSION_TIMEOUT = "session.timeout.ms=10000";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(2);

  private final Path work;
  private final int port;
  private final int slots;
  private final List<String> schedulerConfig;
  private final List<String> runnerOptions;
  private final List<String> java;
  private ChildProcess broker;
  private ChildProcess scheduler;
  private final ChildProcess[] runners;
  private final int[] runnerGenerations;
  private int brokerGeneration;
  private int schedulerGeneration;

  /**
   * @param work the campaign's work directory
   * @param port the broker's client port, the same across its restarts
   * @param runners how many runners run at once
   * @param slots the slots of each runner
   * @param schedulerConfig {@code KEY=VALUE} settings passed to the scheduler after the campaign's own
   * @param runnerOptions options of every runner; with a {@code --checkpoint-store} among them the
   *     runners keep their checkpoints there rather than in the work directory
   */
  ChaosCluster(final Path work, final int port, final int runners, final int slots,
      final List<String> schedulerConfig, final List<String> runnerOptions) {
    this.runnerOptions = List.copyOf(runnerOptions);
    this.work = work;
    this.port = port;
    this.slots = slots;
    this.schedulerConfig = List.copyOf(schedulerConfig);
    this.runners = new ChildProcess[runners];
    this.runnerGenerations = new int[runners];
    this.java = List.of(ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC");
    try {
      Files.createDirectories(work.resolve("output"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + work.resolve("output"), e);
    }
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  Path stateDir() {
    return work.resolve("scheduler-state");
  }

  int runnerCount() {
    return runners.length;
  }

  /** Starts the broker and waits until it prints its address. */
  void startBroker() throws InterruptedException {
    broker = start("broker", ++brokerGeneration, "512m", List.of("broker", "--dir", work.resolve("broker").toString(),
        "--port", Integer.toString(port), "-c", SHARE_LOCK));
    broker.awaitLine(bootstrapServers()::equals, READY_TIMEOUT);
  }

  /** SIGKILLs the broker, then starts it again on the same directory and port and waits until it serves. */
  void restartBroker() throws InterruptedException {
    broker.kill();
    startBroker();
  }

  void startScheduler() {
    final List<String> args = new ArrayList<>(List.of("scheduler", "-b", bootstrapServers(),
        "--state-dir", stateDir().toString(), "-c", SESSION_TIMEOUT));
    schedulerConfig.forEach(setting -> args.addAll(List.of("-c", setting)));
    scheduler = start("scheduler", ++schedulerGeneration, "384m", args);
  }

  /** SIGKILLs the scheduler, deletes its state directory if {@code wipe}, and starts it again. */
  void killScheduler(final boolean wipe) throws InterruptedException {
    scheduler.kill();
    if (wipe) {
      deleteTree(stateDir());
    }
    startScheduler();
  }

  void startRunner(final int index) {
    final int generation = ++runnerGenerations[index];
    final List<String> args = new ArrayList<>(List.of("runner", "-b", bootstrapServers(),
        "--slots", Integer.toString(slots), "--runner-id", runnerId(index, generation)));
    if (runnerOptions.stream().noneMatch(option -> option.startsWith("--checkpoint-store"))) {
      args.addAll(List.of("--checkpoint-dir", work.resolve("checkpoints").toString()));
    }
    args.addAll(runnerOptions);
    runners[index] = start("runner-" + (index + 1), generation, "192m", args);
  }

  /** The runner id of runner {@code index}'s current process, as its reports carry it. */
  String runnerId(final int index) {
    return runnerId(index, runnerGenerations[index]);
  }

  /** SIGKILLs runner {@code index} and starts it again. */
  void killRunner(final int index) throws InterruptedException {
    runners[index].kill();
    startRunner(index);
  }

  /**
   * Submits a study with {@code kasha submit}, as a user would.
   *
   * @throws IllegalStateException if it fails, with its output
   */
  void submit(final Path studyFile, final String studyId) throws InterruptedException {
    final ChildProcess submit = start("submit", 1, "128m", List.of("submit", studyFile.toString(),
        "-b", bootstrapServers(), "--study-id", studyId));
    final Optional<Integer> exit = submit.awaitExit(SUBMIT_TIMEOUT);
    if (exit.isEmpty()) {
      submit.kill();
    }
    if (exit.orElse(-1) != 0) {
      throw new IllegalStateException("kasha submit failed (" + exit.map(c -> "exit code " + c).orElse("timed out")
          + "):\n" + submit.tail(20));
    }
  }

  /**
   * The processes that ended without being killed or stopped here, each started again: a description of
   * each, with the end of its output.
   */
  List<String> restartExited() throws InterruptedException {
    final List<String> exited = new ArrayList<>();
    if (broker.exitedOnItsOwn()) {
      exited.add(describeExit(broker));
      startBroker();
    }
    if (scheduler.exitedOnItsOwn()) {
      exited.add(describeExit(scheduler));
      startScheduler();
    }
    for (int i = 0; i < runners.length; i++) {
      if (runners[i].exitedOnItsOwn()) {
        exited.add(describeExit(runners[i]));
        startRunner(i);
      }
    }
    return exited;
  }

  /** Stops the runners, the scheduler and the broker, in that order, each with SIGTERM. */
  @Override
  public void close() throws InterruptedException {
    for (final ChildProcess runner : runners) {
      if (runner != null) {
        runner.stop();
      }
    }
    if (scheduler != null) {
      scheduler.stop();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  /** SIGKILLs every process without waiting: when this JVM exits before {@link #close}, none is left behind. */
  void killAll() {
    final List<ChildProcess> all = new ArrayList<>(Arrays.asList(runners));
    all.add(scheduler);
    all.add(broker);
    all.stream().filter(Objects::nonNull).forEach(ChildProcess::killNow);
  }

  private ChildProcess start(final String role, final int generation, final String heap, final List<String> args) {
    final String name = role + "." + generation;
    final List<String> command = new ArrayList<>(java);
    command.add("-Xmx" + heap);
    command.add(Kasha.class.getName());
    command.addAll(args);
    return ChildProcess.start(name, command, Map.of("KASHA_HOME", work.resolve("homes").resolve(role).toString()),
        work.resolve("output").resolve(name + ".out"));
  }

  private static String runnerId(final int index, final int generation) {
    return "runner-" + (index + 1) + "." + generation;
  }

  private static String describeExit(final ChildProcess process) {
    return process.name() + " exited on its own with code " + process.exitCode().orElse(-1) + " ("
        + process.output() + ")";
  }

  private static void deleteTree(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (final Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
