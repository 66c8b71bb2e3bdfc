package io.kasha.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kasha.bench.chaos.CampaignResult.InjectedFault;
import io.kasha.bench.chaos.FaultPlan.Kind;
import io.kasha.bench.chaos.LogVerdict.Check;
import io.kasha.bench.chaos.LogVerdict.Figures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A campaign's result as the person at the terminal reads it, and as JSON for {@code --json FILE}. */
final class CampaignReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignReport() {}

  static void print(final CampaignResult result, final PrintWriter out) {
    final Figures figures = result.log().figures();
    out.println();
    out.println("Fault campaign: study " + result.studyId() + " "
        + (figures.status() == null ? "did not end" : figures.status()));
    out.println("  " + result.settings().describe());
    row(out, "faults injected", String.format(Locale.ROOT, "runner kills %d of %d (%d while the runner had a job "
            + "running, %d jobs interrupted)", result.injected(Kind.RUNNER_KILL), result.planned(Kind.RUNNER_KILL),
        result.killsMidJob(), result.jobsInterrupted()));
    row(out, "", String.format(Locale.ROOT, "scheduler kills %d of %d (%d with its state directory wiped)",
        result.injected(Kind.SCHEDULER_KILL), result.planned(Kind.SCHEDULER_KILL), result.wipes()));
    row(out, "", String.format(Locale.ROOT, "broker restarts %d of %d", result.injected(Kind.BROKER_RESTART),
        result.planned(Kind.BROKER_RESTART)));
    row(out, "study", String.format(Locale.ROOT, "%d trials, %d results, %d re-issued jobs, %d failed trials, "
        + "%d events", figures.trials(), figures.results(), figures.reissued(), figures.failedTrials(),
        figures.events()));
    row(out, "trials ended", LogVerdict.describe(figures.trialEnds()));
    row(out, "audit", audit(result).detail());
    row(out, "wall time", String.format(Locale.ROOT, "%d s from submission to the study's end; %d s with the "
        + "start of the processes", result.studyTime().toSeconds(), result.campaignTime().toSeconds()));
    out.println("  checks");
    for (final Check check : result.checks()) {
      out.println("    " + (check.passed() ? "PASS" : "FAIL") + "  " + check.name() + ": " + check.detail());
    }
    final List<Check> failed = result.checks().stream().filter(c -> !c.passed()).toList();
    out.println(failed.isEmpty() ? "Verdict: PASS, every check passed"
        : "Verdict: FAIL, " + failed.size() + " of " + result.checks().size() + " checks failed: "
            + String.join(", ", failed.stream().map(Check::name).toList()) + " (logs in " + result.workDir() + ")");
    out.flush();
  }

  static void writeJson(final CampaignResult result, final Path file) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json(result));
  }

  static ObjectNode json(final CampaignResult result) {
    final Figures figures = result.log().figures();
    final CampaignSettings settings = result.settings();
    final ObjectNode root = JSON.createObjectNode();
    root.put("passed", result.passed());
    root.put("studyId", result.studyId());
    root.put("status", figures.status());
    root.put("form", settings.shortForm() ? "short" : "full");
    root.put("seed", settings.seed());
    final ObjectNode faults = root.putObject("faults");
    final ObjectNode runnerKills = count(faults, "runnerKills", result, Kind.RUNNER_KILL);
    runnerKills.put("whileRunningAJob", result.killsMidJob());
    runnerKills.put("jobsInterrupted", result.jobsInterrupted());
    final ObjectNode schedulerKills = count(faults, "schedulerKills", result, Kind.SCHEDULER_KILL);
    schedulerKills.put("wipesPlanned", settings.wipes());
    schedulerKills.put("wipes", result.wipes());
    count(faults, "brokerRestarts", result, Kind.BROKER_RESTART);
    root.put("trials", figures.trials());
    root.put("results", figures.results());
    root.put("reissuedJobs", figures.reissued());
    root.put("failedTrials", figures.failedTrials());
    root.put("events", figures.events());
    final ObjectNode ends = root.putObject("trialEnds");
    figures.trialEnds().forEach((end, n) -> ends.put(end.name().toLowerCase(Locale.ROOT), n));
    final Check audit = audit(result);
    root.putObject("audit").put("passed", audit.passed()).put("detail", audit.detail());
    root.put("studySeconds", result.studyTime().toMillis() / 1000.0);
    root.put("campaignSeconds", result.campaignTime().toMillis() / 1000.0);
    final ArrayNode checks = root.putArray("checks");
    result.checks().forEach(c -> checks.addObject().put("name", c.name()).put("passed", c.passed())
        .put("detail", c.detail()));
    final ArrayNode injected = root.putArray("injected");
    for (final InjectedFault fault : result.injected()) {
      injected.addObject().put("kind", fault.kind().label()).put("atSeconds", Math.round(fault.atSeconds() * 10) / 10.0)
          .put("workDone", Math.round(fault.workDone() * 1000) / 1000.0).put("wipe", fault.wipe())
          .put("jobsInterrupted", fault.jobsInterrupted()).put("detail", fault.detail());
    }
    final ObjectNode study = root.putObject("study");
    study.put("runners", settings.runners()).put("slots", settings.slots()).put("trials", settings.trials())
        .put("maxResource", settings.maxResource()).put("eta", CampaignSettings.ETA)
        .put("parallelism", settings.parallelism()).put("stepMs", settings.stepMs())
        .put("leastWork", settings.leastWork());
    root.put("workDir", result.workDir().toString());
    return root;
  }

  private static ObjectNode count(final ObjectNode faults, final String name, final CampaignResult result,
      final Kind kind) {
    return faults.putObject(name).put("planned", result.planned(kind)).put("injected", result.injected(kind));
  }

  private static Check audit(final CampaignResult result) {
    return result.log().checks().stream().filter(c -> c.name().startsWith("audit")).findFirst().orElseThrow();
  }

  private static void row(final PrintWriter out, final String label, final String value) {
    out.println(String.format(Locale.ROOT, "  %-16s %s", label, value));
  }
}
