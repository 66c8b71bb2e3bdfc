package io.kasha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop a running study: no new trials or promotions; it ends with status STOPPED.")
final class StopCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY_ID")
  String studyId;

  @Option(names = "--reason", defaultValue = "stopped from the command line", description = "Recorded in the audit log.")
  String reason;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    try (ClusterOptions.Connection connection = cluster.connect()) {
      StudyCommands.stop(connection.bootstrapServers(), connection.topics(), studyId, reason);
    }
    Console.info("Asked the scheduler to stop " + studyId);
    return 0;
  }
}
