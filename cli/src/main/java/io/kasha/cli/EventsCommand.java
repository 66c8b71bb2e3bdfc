package io.kasha.cli;

import io.kasha.audit.AshaAudit;
import io.kasha.cli.watch.EventLog;
import io.kasha.cli.watch.StudyJson;
import io.kasha.schemas.EventType;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Print a study's audit log in order: every decision with its reason.",
        "",
        "Types: study-accepted, study-rejected, trial-created, rung-result, trial-promoted, trial-continued, "
            + "trial-stopped, trial-exploited, trial-completed, trial-failed, study-extended, extend-rejected, "
            + "study-completed; with --all also job-reissued, best-improved and checkpoints-released."})
final class EventsCommand implements Callable<Integer> {

  /** The decision log proper; the other types are bookkeeping shown with --all. */
  static final Set<EventType> DECISIONS = EnumSet.complementOf(EnumSet.of(EventType.JOB_REISSUED,
      EventType.BEST_IMPROVED, EventType.CHECKPOINTS_RELEASED));

  @Parameters(paramLabel = "STUDY_ID")
  String studyId;

  @Option(names = "--json", description = "One JSON object a line.")
  boolean json;

  @Option(names = "--all", description = "Also print job-reissued, best-improved and checkpoints-released events.")
  boolean all;

  @Option(names = "--verify", description = "Check every decision in the log against the ASHA rule; exit 3 on a violation.")
  boolean verify;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    final List<StudyEvent> events = new ArrayList<>();
    try (ClusterOptions.Connection connection = cluster.connect();
         EventLog log = new EventLog(connection.bootstrapServers(), connection.topics()).fromBeginning()) {
      log.read(studyId, false, events::add);
    }
    if (events.isEmpty()) {
      Console.error("no events for study " + studyId + " on this cluster");
      return 1;
    }
    final List<String> paramOrder = events.stream().filter(e -> e.getSpec() != null).findFirst()
        .map(e -> e.getSpec().getParams().stream().map(p -> p.getName()).toList()).orElse(List.of());
    for (final StudyEvent event : events) {
      if (all || DECISIONS.contains(event.getType())) {
        System.out.println(json ? StudyJson.event(event, paramOrder).toString() : line(event));
      }
    }
    final SchedulerKind rule = events.stream().filter(e -> e.getSpec() != null).findFirst()
        .map(e -> e.getSpec().getScheduler()).orElse(SchedulerKind.ASHA);
    if (verify && rule != SchedulerKind.ASHA) {
      Console.error("--verify checks the ASHA promotion rule; study " + studyId + " runs "
          + rule.name().toLowerCase(Locale.ROOT) + ", whose decisions carry their reasons in the log");
      return 2;
    }
    if (verify) {
      final List<String> violations = AshaAudit.check(events);
      violations.forEach(v -> System.err.println("violation: " + v));
      System.err.println(violations.isEmpty() ? "verified: " + events.size() + " events obey the ASHA rule"
          : violations.size() + " violations");
      return violations.isEmpty() ? 0 : 3;
    }
    return 0;
  }

  private static String line(final StudyEvent event) {
    final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d %-16s", event.getSeq(),
        StudyJson.typeName(event.getType())));
    if (event.getTrialId() != null) {
      line.append(' ').append(event.getTrialId());
    }
    if (event.getRung() != null) {
      line.append(" rung ").append(event.getRung());
    }
    if (event.getMetric() != null) {
      line.append(String.format(Locale.ROOT, " %.5g", event.getMetric()));
    }
    if (event.getStatus() != null) {
      line.append(' ').append(event.getStatus());
    }
    if (event.getReason() != null) {
      line.append("  ").append(event.getReason());
    }
    event.getProblems().forEach(p -> line.append("\n        - ").append(p));
    return line.toString();
  }
}
