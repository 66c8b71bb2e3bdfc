package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-valid study that once wedged a scheduler partition in a loop of aborted transactions
 * ({@code parallelism: 1000000}, {@code maxTrials: 2147483647}), on a real broker beside a normal study on
 * the same (only) partition: it is rejected with the limits it is over, and the normal study completes.
 */
class PoisonStudyPipelineIT {

  private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  Path home;

  @Test
  void thePoisonStudyIsRejectedAndTheStudyBesideItCompletes() throws Exception {
    try (Pipeline pipeline = new Pipeline(TestBroker.bootstrapServers(), "poison", home, 1)) {
      pipeline.startScheduler(home.resolve("state"));
      pipeline.startRunner(4);
      pipeline.submit("poison", Pipeline.spec().setParallelism(1_000_000).setMaxTrials(Integer.MAX_VALUE).build());
      pipeline.submit("beside", Pipeline.spec().setMaxTrials(9).build());

      final List<StudyEvent> poison = pipeline.awaitEnd("poison", STUDY_TIMEOUT);
      assertThat(poison).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo(EventType.STUDY_REJECTED);
        assertThat(e.getProblems()).containsExactly(
            "parallelism: 1000000 is over the scheduler's limit of 10000 (limit parallelism)",
            "maxTrials: 2147483647 is over the scheduler's limit of 1000000 (limit trials)");
      });
      final List<StudyEvent> beside = pipeline.awaitEnd("beside", STUDY_TIMEOUT);
      assertThat(beside.get(beside.size() - 1).getStatus()).isEqualTo("COMPLETED");
      assertThat(beside).filteredOn(e -> e.getType() == EventType.TRIAL_CREATED).hasSize(9);
    }
  }
}
