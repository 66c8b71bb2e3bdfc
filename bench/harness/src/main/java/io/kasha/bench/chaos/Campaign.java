package io.kasha.bench.chaos;

import io.kasha.bench.chaos.CampaignResult.InjectedFault;
import io.kasha.bench.chaos.FaultPlan.Fault;
import io.kasha.bench.chaos.FaultPlan.Kind;
import io.kasha.cli.watch.EventLog;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One fault campaign: a broker, a scheduler and runners as processes of their own, one ASHA study submitted with
 * {@code kasha submit}, the faults of a {@link FaultPlan} injected while it runs, then the study's whole audit log
 * read and judged ({@link LogVerdict}).
 *
 * <p>A fault strikes once the study's progress passes its moment and at least {@link #GAP} after the previous
 * one. A runner kill strikes a runner that has a job running (chosen from the seed among those that have), so it
 * interrupts work; if none has one for {@link #VICTIM_WAIT}, any runner. Progress goes to {@code out} while the
 * study runs: each fault as it is injected, and a line every {@link #PROGRESS_EVERY}.
 */
final class Campaign {

  static final Duration GAP = Duration.ofSeconds(2);
  static final Duration VICTIM_WAIT = Duration.ofSeconds(30);
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
  private static final Duration TICK = Duration.ofMillis(250);
  private static final Duration TOPICS_TIMEOUT = Duration.ofMinutes(3);

  private final CampaignSettings settings;
  private final Path work;
  private final PrintWriter out;
  private final FaultPlan plan;
  private final Random victims;
  private final List<InjectedFault> injected = new ArrayList<>();
  private final List<String> exits = new ArrayList<>();
  private long submittedAt;
  private long lastFaultAt;
  private long waitingForVictimSince = -1;

  Campaign(final CampaignSettings settings, final Path work, final PrintWriter out) {
    this.settings = settings;
    this.work = work;
    this.out = out;
    this.plan = FaultPlan.draw(settings.seed(), settings.runnerKills(), settings.schedulerKills(), settings.wipes(),
        settings.brokerRestarts());
    this.victims = new Random(settings.seed() ^ 0x5DEECE66DL);
  }

  CampaignResult run() throws InterruptedException, IOException {
    final long begin = System.nanoTime();
    final Path studyFile = work.resolve("study.yaml");
    Files.writeString(studyFile, settings.studyFile(), StandardCharsets.UTF_8);
    final String studyId = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
    final Topics topics = Topics.defaults();
    final ChaosCluster cluster = new ChaosCluster(work, freePort(), settings.runners(), settings.slots(),
        settings.schedulerConfig(), settings.runnerOptions());
    final List<StudyEvent> events = new ArrayList<>();
    final Thread killOnExit = new Thread(cluster::killAll, "chaos-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    boolean timedOut;
    long studyNanos;
    try {
      say("starting the broker (work directory " + work + ")");
      cluster.startBroker();
      say("broker on " + cluster.bootstrapServers() + "; starting the scheduler and " + settings.runners()
          + " runners");
      cluster.startScheduler();
      awaitTopics(cluster.bootstrapServers(), topics);
      for (int i = 0; i < settings.runners(); i++) {
        cluster.startRunner(i);
      }
      try (StudyWatch watch = new StudyWatch(cluster.bootstrapServers(), topics, studyId, settings.rungs())) {
        cluster.submit(studyFile, studyId);
        submittedAt = System.nanoTime();
        lastFaultAt = submittedAt - GAP.toNanos();
        say("submitted study " + studyId + " (" + studyFile + "); " + plan.faults().size() + " faults to inject");
        timedOut = !runStudy(cluster, watch);
        studyNanos = System.nanoTime() - submittedAt;
      }
      try (EventLog log = new EventLog(cluster.bootstrapServers(), topics).fromBeginning()) {
        log.read(studyId, false, events::add);
      }
    } finally {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    }
    return new CampaignResult(settings, studyId, work, injected, exits,
        Duration.ofNanos(System.nanoTime() - begin), Duration.ofNanos(studyNanos), timedOut, LogVerdict.of(events));
  }

  /** Injects the faults while the study runs; false if it was still running at the timeout. */
  private boolean runStudy(final ChaosCluster cluster, final StudyWatch watch) throws InterruptedException {
    final long deadline = submittedAt + settings.timeout().toNanos();
    long nextProgress = submittedAt + PROGRESS_EVERY.toNanos();
    int next = 0;
    while (true) {
      final StudyWatch.Progress progress = watch.progress();
      if (progress.ended()) {
        say(progressLine(progress, next) + "; the study has ended: " + progress.status());
        return true;
      }
      final long now = System.nanoTime();
      if (now > deadline) {
        say(progressLine(progress, next) + "; giving up: the study is still running after "
            + settings.timeout().toMinutes() + " min");
        return false;
      }
      for (final String exit : cluster.restartExited()) {
        exits.add(exit);
        say("unexpected: " + exit + "; started again");
      }
      if (next < plan.faults().size() && due(plan.faults().get(next), progress, now)
          && inject(plan.faults().get(next), cluster, watch, progress)) {
        next++;
        lastFaultAt = System.nanoTime();
      }
      if (now >= nextProgress) {
        say(progressLine(progress, next));
        nextProgress = now + PROGRESS_EVERY.toNanos();
      }
      TimeUnit.NANOSECONDS.sleep(TICK.toNanos());
    }
  }

  private boolean due(final Fault fault, final StudyWatch.Progress progress, final long now) {
    return workDone(progress) >= fault.atWork() && now - lastFaultAt >= GAP.toNanos();
  }

  /** Injects {@code fault}; false if it must wait (a runner kill finding no runner with a job yet). */
  private boolean inject(final Fault fault, final ChaosCluster cluster, final StudyWatch watch,
      final StudyWatch.Progress progress) throws InterruptedException {
    final double at = (System.nanoTime() - submittedAt) / 1e9;
    final int number = (int) injected.stream().filter(f -> f.kind() == fault.kind()).count() + 1;
    final String head = fault.kind().label() + " " + number + " of " + plan.count(fault.kind()) + ": ";
    switch (fault.kind()) {
      case RUNNER_KILL -> {
        final int victim = victim(cluster, watch);
        if (victim < 0) {
          return false;
        }
        final String runnerId = cluster.runnerId(victim);
        final Set<String> jobs = watch.jobsOf(runnerId);
        cluster.killRunner(victim);
        record(fault, at, progress, jobs.size(), head + runnerId + " killed with " + jobs.size() + " job(s) running "
            + jobs + "; started again as " + cluster.runnerId(victim));
      }
      case SCHEDULER_KILL -> {
        cluster.killScheduler(fault.wipe());
        record(fault, at, progress, 0, head + "scheduler killed" + (fault.wipe()
            ? ", its state directory wiped (it restores from the changelogs)" : "") + "; started again");
      }
      case BROKER_RESTART -> {
        final long begin = System.nanoTime();
        cluster.restartBroker();
        record(fault, at, progress, 0, head + "broker killed and started again on the same directory and port, "
            + "serving again after " + seconds(System.nanoTime() - begin) + " s");
      }
      default -> throw new IllegalStateException("unknown fault " + fault.kind());
    }
    return true;
  }

  /** A runner with a job running, from the seed; any runner after {@link #VICTIM_WAIT}; -1 to wait. */
  private int victim(final ChaosCluster cluster, final StudyWatch watch) {
    final List<Integer> busy = new ArrayList<>();
    for (int i = 0; i < cluster.runnerCount(); i++) {
      if (!watch.jobsOf(cluster.runnerId(i)).isEmpty()) {
        busy.add(i);
      }
    }
    final long now = System.nanoTime();
    if (busy.isEmpty()) {
      if (waitingForVictimSince < 0) {
        waitingForVictimSince = now;
      }
      if (now - waitingForVictimSince < VICTIM_WAIT.toNanos()) {
        return -1;
      }
    }
    waitingForVictimSince = -1;
    return busy.isEmpty() ? victims.nextInt(cluster.runnerCount()) : busy.get(victims.nextInt(busy.size()));
  }

  private void record(final Fault fault, final double at, final StudyWatch.Progress progress, final int jobs,
      final String detail) {
    injected.add(new InjectedFault(fault.kind(), at, workDone(progress), fault.wipe(), jobs, detail));
    say(String.format(Locale.ROOT, "%.0f s, work %.0f%%: %s", at, 100 * workDone(progress), detail));
  }

  private double workDone(final StudyWatch.Progress progress) {
    return (double) progress.work() / settings.leastWork();
  }

  private String progressLine(final StudyWatch.Progress progress, final int faultsDone) {
    return String.format(Locale.ROOT, "%.0f s: work %.0f%% of the least %d steps, %d trials, %d results, "
            + "%d re-issued jobs, %d failed trials; faults %d of %d", (System.nanoTime() - submittedAt) / 1e9,
        100 * workDone(progress), settings.leastWork(), progress.trials(), progress.results(), progress.reissued(),
        progress.failed(), faultsDone, plan.faults().size());
  }

  private void say(final String line) {
    out.println("chaos: " + line);
    out.flush();
  }

  /** Waits until the scheduler has created the Kasha topics. */
  private static void awaitTopics(final String bootstrapServers, final Topics topics) throws InterruptedException {
    final long deadline = System.nanoTime() + TOPICS_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        try {
          if (admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(new HashSet<>(topics.names()))) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // the broker is still starting: ask again
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the scheduler did not create the topics " + topics.names() + " within "
              + TOPICS_TIMEOUT.toMinutes() + " min");
        }
        Thread.sleep(500);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on the loopback address", e);
    }
  }

  private static String seconds(final long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
