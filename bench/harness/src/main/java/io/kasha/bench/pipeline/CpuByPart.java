package io.kasha.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The CPU time of this process's threads over a window, summed by the part of the pipeline each
 * thread belongs to, told by its name: the scheduler (Kafka Streams threads and their producers),
 * the runners (slots, job threads, their share consumers' background threads, report producer and
 * event follower), the benchmark's own readers, and the rest, which in the embedded default is the
 * broker. CPU not spent in a live Java thread (garbage collection, the JIT compiler, threads that
 * ended in the window) is the JVM's share. The JDK's per-thread CPU clock is what measures it.
 */
final class CpuByPart {

  static final String SCHEDULER = "scheduler";
  static final String BROKER = "broker";
  static final String RUNNERS = "runners";
  static final String BENCHMARK = "benchmark";
  static final String JVM = "jvm";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final String runnerPrefix;
  private final List<String> parts;
  private final UnaryOperator<String> partOf;
  private final Map<Long, Long> startNanos = new HashMap<>();

  /** Starts the window; {@code runnerPrefix} starts the id of every runner of the benchmark. */
  CpuByPart(final String runnerPrefix) {
    this.runnerPrefix = runnerPrefix;
    this.parts = List.of(SCHEDULER, BROKER, RUNNERS, BENCHMARK);
    this.partOf = this::pipelinePartOf;
    start();
  }

  /**
   * Starts a window whose threads are sorted into {@code parts} by {@code partOf}, for benchmarks
   * other than the pipeline's; the JVM's share is added to them.
   */
  CpuByPart(final List<String> parts, final UnaryOperator<String> partOf) {
    this.runnerPrefix = null;
    this.parts = List.copyOf(parts);
    this.partOf = partOf;
    start();
  }

  private void start() {
    for (final long id : THREADS.getAllThreadIds()) {
      final long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        startNanos.put(id, cpu);
      }
    }
  }

  /**
   * Closes the window: the cores each part used over {@code elapsedSeconds}, with the process's
   * total CPU over the window to find the JVM's share. Empty if the JVM cannot measure thread CPU.
   */
  Map<String, Double> close(final double elapsedSeconds, final double processCpuSeconds) {
    final Map<String, Double> cores = new LinkedHashMap<>();
    if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
      return cores;
    }
    for (final String part : parts) {
      cores.put(part, 0.0);
    }
    double threads = 0;
    for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      final long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      final double seconds = (cpu - startNanos.getOrDefault(info.getThreadId(), 0L)) / 1e9;
      cores.merge(partOf.apply(info.getThreadName()), seconds / elapsedSeconds, Double::sum);
      threads += seconds;
    }
    cores.put(JVM, Math.max(0, processCpuSeconds - threads) / elapsedSeconds);
    return cores;
  }

  /** The part a thread belongs to, by its name. */
  String partOf(final String threadName) {
    return partOf.apply(threadName);
  }

  private String pipelinePartOf(final String threadName) {
    // the scheduler's application id ends in "scheduler"; its clients' threads name the client id after it
    if (threadName.contains("StreamThread") || threadName.contains("StateUpdater")
        || threadName.contains("scheduler-") && threadName.contains("| kasha-bench-")) {
      return SCHEDULER;
    }
    if (threadName.startsWith(runnerPrefix) || threadName.contains("| " + runnerPrefix)
        || threadName.startsWith("kasha-bench-runner-")
        || threadName.equals("consumer_background_thread")) {
      return RUNNERS;
    }
    if (threadName.equals("main") || threadName.startsWith("kasha-bench") || threadName.contains("| kasha-bench-")) {
      return BENCHMARK;
    }
    return BROKER;
  }
}
