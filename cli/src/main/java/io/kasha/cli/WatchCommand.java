package io.kasha.cli;

import io.kasha.cli.watch.EventLog;
import io.kasha.cli.watch.ProgressView;
import io.kasha.cli.watch.StudyProjection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow a study until it ends, then print its rung ladder and leaderboard.",
        "",
        "Works for studies running anywhere on the cluster and for finished ones."})
final class WatchCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY_ID")
  String studyId;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    final long start = System.nanoTime();
    final StudyProjection study = new StudyProjection(studyId);
    final ProgressView view = new ProgressView(System.out, System.console() != null);
    try (ClusterOptions.Connection connection = cluster.connect();
         EventLog log = new EventLog(connection.bootstrapServers(), connection.topics()).fromBeginning()) {
      log.read(studyId, true, event -> {
        study.apply(event);
        view.update(study, (System.nanoTime() - start) / 1e9);
        return !study.ended();
      });
    }
    view.finish(study, (System.nanoTime() - start) / 1e9);
    return study.rejected() ? 2 : 0;
  }
}
