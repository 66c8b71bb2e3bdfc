package io.kasha.cli;

import io.kasha.cli.study.StudyFile;
import io.kasha.spec.Problem;
import io.kasha.spec.StudyValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Publish a study to the studies topic for a running scheduler; prints the study id.")
final class SubmitCommand implements Callable<Integer> {

  @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
  Path studyFile;

  @Option(names = "--study-id", paramLabel = "ID", description = "Study id (default: the study's name and the time).")
  String studyId;

  @Mixin
  ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    final StudyFile study = readValid(studyFile);
    if (study == null) {
      return 2;
    }
    final String id = studyId != null ? studyId : StudyCommands.newStudyId(study.spec().getName());
    try (ClusterOptions.Connection connection = cluster.connect()) {
      StudyCommands.create(connection.bootstrapServers(), connection.topics(), id, study.spec());
    }
    System.out.println(id);
    return 0;
  }

  /** Reads and checks a study file, printing every problem; null if there were any. */
  static StudyFile readValid(final Path file) throws java.io.IOException {
    try {
      final StudyFile study = StudyFile.read(file);
      final List<Problem> problems = StudyValidator.validate(study.spec());
      if (problems.isEmpty()) {
        return study;
      }
      Console.error(file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
      problems.forEach(p -> System.err.println("  - " + p.inFileTerms()));
    } catch (StudyFile.InvalidStudyFile e) {
      Console.error(e.getMessage());
    } catch (java.nio.file.NoSuchFileException e) {
      Console.error("no such study file: " + file);
    }
    return null;
  }
}
