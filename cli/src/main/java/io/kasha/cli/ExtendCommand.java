package io.kasha.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "extend", mixinStandardHelpOptions = true,
    description = {"Raise a running study's budgets: more trials, a longer time budget, or both.",
        "Budgets are only raised; the scheduler refuses a lower one with an extend-rejected event."})
final class ExtendCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY_ID")
  String studyId;

  @Option(names = "--max-trials", paramLabel = "N", description = "The study's new trial budget.")
  Integer maxTrials;

  @Option(names = "--max-duration", paramLabel = "DURATION", converter = RunnerCommand.DurationConverter.class,
      description = "The study's new time budget, counted from its start (e.g. 2h, 90m).")
  Duration maxDuration;

  @Option(names = "--reason", defaultValue = "extended from the command line", description = "Recorded in the audit log.")
  String reason;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    if (maxTrials == null && maxDuration == null) {
      Console.error("Give --max-trials, --max-duration or both");
      return 2;
    }
    try (ClusterOptions.Connection connection = cluster.connect()) {
      StudyCommands.extend(connection.bootstrapServers(), connection.topics(), studyId, maxTrials,
          maxDuration == null ? null : maxDuration.toMillis(), reason);
    }
    Console.info("Asked the scheduler to extend " + studyId
        + (maxTrials == null ? "" : " to " + maxTrials + " trials")
        + (maxDuration == null ? "" : (maxTrials == null ? " to " : " and ") + maxDuration.toString().substring(2)
            .toLowerCase(java.util.Locale.ROOT)));
    return 0;
  }
}
