package io.kasha.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One operating-system process of the campaign: a {@code kasha} command in a JVM of its own, its standard output
 * and error in a file of its own. Started once; killed with SIGKILL ({@link Process#destroyForcibly()}) or stopped
 * with SIGTERM, after which a new {@code ChildProcess} takes its place.
 */
final class ChildProcess {

  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final String name;
  private final Path output;
  private final Process process;
  private volatile boolean ended;

  private ChildProcess(final String name, final Path output, final Process process) {
    this.name = name;
    this.output = output;
    this.process = process;
  }

  /**
   * Starts {@code command} with {@code environment} added to this process's, standard output and error to
   * {@code output}.
   */
  static ChildProcess start(final String name, final List<String> command, final Map<String, String> environment,
      final Path output) {
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    try {
      return new ChildProcess(name, output, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + name + " (" + command.get(0) + ")", e);
    }
  }

  /** For example {@code runner-2.3}: the third process of runner 2. */
  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  Path output() {
    return output;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** True if the process has ended without being killed or stopped here. */
  boolean exitedOnItsOwn() {
    return !ended && !process.isAlive();
  }

  /** The exit code, if the process has ended. */
  Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill() throws InterruptedException {
    ended = true;
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGKILL, without waiting. */
  void killNow() {
    ended = true;
    process.destroyForcibly();
  }

  /** SIGTERM, so that it shuts down cleanly; SIGKILL if it has not ended after {@link #STOP_GRACE}. */
  void stop() throws InterruptedException {
    ended = true;
    process.destroy();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** Waits until the process ends by itself; its exit code, or empty at the timeout (it is then left running). */
  Optional<Integer> awaitExit(final Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
        : Optional.empty();
  }

  /**
   * Waits until a line of the output matches {@code ready}, and returns it.
   *
   * @throws IllegalStateException if the process ends first or the timeout passes, with the output's last lines
   */
  String awaitLine(final Predicate<String> ready, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final Optional<String> line = lines().stream().filter(ready).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the " + name + " ended with exit code " + process.exitValue()
            + " before it was ready; its output (" + output + ") ends with:\n" + tail(20));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the " + name + " was not ready after " + timeout.toSeconds()
            + " s; its output (" + output + ") ends with:\n" + tail(20));
      }
      Thread.sleep(100);
    }
  }

  /** The last {@code count} lines of the output. */
  String tail(final int count) {
    final List<String> lines = lines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  private List<String> lines() {
    try {
      return List.of(new String(Files.readAllBytes(output), StandardCharsets.UTF_8).split("\n"));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + output, e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
