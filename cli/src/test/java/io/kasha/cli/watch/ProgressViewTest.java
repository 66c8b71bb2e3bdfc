package io.kasha.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

  private final StudyEvents log = new StudyEvents();
  private final StudyProjection study = new StudyProjection(StudyEvents.STUDY);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  @Test
  void finishPrintsTheEndTheLadderAndTheLeaderboard() {
    givenAFinishedStudy();

    final String out = finish(false);

    assertThat(out).contains("Study s1 completed: every trial has finished and no result is promotable")
        .containsPattern("(?m)^rung\\s+epoch\\s+results\\s+promoted$")
        .containsPattern("(?m)^0\\s+1\\s+2\\s+1$")
        .containsPattern("(?m)^1\\s+3\\s+1\\s+0$")
        .containsPattern("(?m)^2\\s+9\\s+0\\s+0$")
        .containsPattern("(?m)^3\\s+27\\s+0\\s+0$")
        .containsPattern("(?m)^#\\s+trial\\s+epoch\\s+val_loss\\s+params$")
        .containsPattern("(?m)^1\\s+t2\\s+3\\s+0\\.20000\\s+lr=0\\.01 layers=2$")
        .containsPattern("(?m)^2\\s+t1\\s+1\\s+0\\.50000\\s+lr=0\\.01 layers=2$");
  }

  @Test
  void finishOffATerminalWritesNoControlCharacters() {
    givenAFinishedStudy();

    final String out = finish(false);

    assertThat(out).doesNotContain("\r", "\033");
  }

  @Test
  void finishOnATerminalClearsTheProgressLineFirst() {
    givenAFinishedStudy();

    final String out = finish(true);

    assertThat(out).startsWith("\r\033[K[");
  }

  @Test
  void leaderboardShowsTheTopTenAndCountsTheRest() {
    study.apply(log.accepted(Mode.MIN));
    for (int i = 1; i <= 12; i++) {
      study.apply(log.result("t" + i, 0, 1, i / 100.0));
    }
    study.apply(log.completed("COMPLETED", "done"));

    final String out = finish(false);

    assertThat(out).containsPattern("(?m)^10\\s+t10\\s")
        .doesNotContainPattern("(?m)^11\\s")
        .contains("... 2 more (kasha events s1 --json)");
  }

  @Test
  void studyWithNoResultSaysSo() {
    study.apply(log.accepted(Mode.MIN));
    study.apply(log.completed("STOPPED", "stopped by kasha stop"));

    final String out = finish(false);

    assertThat(out).contains("Study s1 stopped: stopped by kasha stop", "No trial reported a result.");
  }

  @Test
  void rejectedStudyPrintsEachProblemAndNoLadder() {
    study.apply(log.rejected("eta: must be at least 2 (got 1)", "entrypoint: 'bowel' is not registered"));

    final String out = finish(false);

    assertThat(out).contains("Study s1 was rejected:\n"
            + "  - eta: must be at least 2 (got 1)\n"
            + "  - entrypoint: 'bowel' is not registered\n")
        .doesNotContain("promoted", "No trial reported a result.");
  }

  @Test
  void progressLineSummarisesTrialsRungsAndTheBest() {
    study.apply(log.accepted(Mode.MIN));
    study.apply(log.created("t1"));
    study.apply(log.created("t2"));
    study.apply(log.created("t3"));
    study.apply(log.result("t1", 0, 1, 0.123456));
    study.apply(log.bestImproved("t1", 0, 1, 0.123456));
    study.apply(log.promoted("t1", 0, 1));
    study.apply(log.failed("t2", 0));

    final String line = ProgressView.progressLine(study, 12.34);

    assertThat(line).isEqualTo(
        "[ 12.3s] running  trials 3  running 2  failed 1  rungs 1:1(1^) 3:0 9:0 27:0  best t1 0.1235 @1");
  }

  private void givenAFinishedStudy() {
    study.apply(log.accepted(Mode.MIN));
    study.apply(log.created("t1"));
    study.apply(log.created("t2"));
    study.apply(log.result("t1", 0, 1, 0.5));
    study.apply(log.bestImproved("t1", 0, 1, 0.5));
    study.apply(log.result("t2", 0, 1, 0.3));
    study.apply(log.bestImproved("t2", 0, 1, 0.3));
    study.apply(log.promoted("t2", 0, 1));
    study.apply(log.result("t2", 1, 3, 0.2));
    study.apply(log.bestImproved("t2", 1, 3, 0.2));
    study.apply(log.completed("COMPLETED", "every trial has finished and no result is promotable"));
  }

  private String finish(final boolean terminal) {
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new ProgressView(out, terminal).finish(study, 42.0);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
