package io.kasha.bench.chaos;

import io.kasha.bench.chaos.FaultPlan.Kind;
import io.kasha.bench.chaos.LogVerdict.Check;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a campaign did and found: the faults it injected, what went wrong with the processes beyond them, how long
 * it took, and the verdict on the study's audit log.
 *
 * @param settings what it was run with
 * @param studyId the study it ran
 * @param workDir its work directory (logs, data)
 * @param injected every fault injected, in order
 * @param exits processes that ended on their own (each was started again)
 * @param campaignTime from the broker's first start to the study's end
 * @param studyTime from the study's submission to its end (or to the timeout)
 * @param timedOut whether the study was still running at the timeout
 * @param log the verdict on the study's whole audit log, read after its end
 */
record CampaignResult(CampaignSettings settings, String studyId, Path workDir, List<InjectedFault> injected,
    List<String> exits, Duration campaignTime, Duration studyTime, boolean timedOut, LogVerdict log) {

  /**
   * One fault as injected.
   *
   * @param kind what it was
   * @param atSeconds seconds since the study was submitted
   * @param workDone the fraction of the study's least work done by then
   * @param wipe for a scheduler kill: whether its state directory was deleted
   * @param jobsInterrupted for a runner kill: the jobs the killed runner had started and not finished
   * @param detail what was killed, for the progress line
   */
  record InjectedFault(Kind kind, double atSeconds, double workDone, boolean wipe, int jobsInterrupted,
      String detail) {}

  CampaignResult {
    injected = List.copyOf(injected);
    exits = List.copyOf(exits);
  }

  long injected(final Kind kind) {
    return injected.stream().filter(f -> f.kind() == kind).count();
  }

  long planned(final Kind kind) {
    return switch (kind) {
      case RUNNER_KILL -> settings.runnerKills();
      case SCHEDULER_KILL -> settings.schedulerKills();
      case BROKER_RESTART -> settings.brokerRestarts();
    };
  }

  long wipes() {
    return injected.stream().filter(InjectedFault::wipe).count();
  }

  /** Runner kills that struck a runner while it had a job running. */
  long killsMidJob() {
    return injected.stream().filter(f -> f.kind() == Kind.RUNNER_KILL && f.jobsInterrupted() > 0).count();
  }

  long jobsInterrupted() {
    return injected.stream().mapToLong(InjectedFault::jobsInterrupted).sum();
  }

  /** Every check: the log's, then the campaign's own. */
  List<Check> checks() {
    final List<Check> checks = new ArrayList<>(log.checks());
    checks.add(new Check("study ended within the timeout", !timedOut, timedOut
        ? "still running after " + settings.timeout().toMinutes() + " min" : "in " + studyTime.toSeconds() + " s"));
    final boolean allInjected = injected(Kind.RUNNER_KILL) == planned(Kind.RUNNER_KILL)
        && injected(Kind.SCHEDULER_KILL) == planned(Kind.SCHEDULER_KILL) && wipes() == settings.wipes()
        && injected(Kind.BROKER_RESTART) == planned(Kind.BROKER_RESTART);
    checks.add(new Check("faults injected as asked", allInjected, String.format(java.util.Locale.ROOT,
        "runner kills %d of %d, scheduler kills %d of %d (%d of %d wiping its state), broker restarts %d of %d",
        injected(Kind.RUNNER_KILL), planned(Kind.RUNNER_KILL), injected(Kind.SCHEDULER_KILL),
        planned(Kind.SCHEDULER_KILL), wipes(), settings.wipes(), injected(Kind.BROKER_RESTART),
        planned(Kind.BROKER_RESTART))));
    checks.add(new Check("no process ended on its own", exits.isEmpty(), exits.isEmpty()
        ? "every process ended by a fault or at the end" : String.join("; ", exits)));
    return checks;
  }

  boolean passed() {
    return checks().stream().allMatch(Check::passed);
  }
}
