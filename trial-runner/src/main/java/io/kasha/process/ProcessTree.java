package io.kasha.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a process and every process it started: politely first, then forcibly. */
final class ProcessTree {

  private ProcessTree() {}

  /**
   * Asks the process and its descendants to terminate, waits up to {@code grace} for them, then
   * kills the ones still alive. The descendants are taken before the parent is signalled, while they
   * are still attached to it.
   */
  static void kill(final Process process, final Duration grace) throws InterruptedException {
    final List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    final long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (final ProcessHandle handle : tree) {
        awaitExit(handle, deadline - System.nanoTime());
      }
    } finally {
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static void awaitExit(final ProcessHandle handle, final long nanos)
      throws InterruptedException {
    try {
      handle.onExit().get(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still alive: forcibly destroyed by the caller
    }
  }
}
