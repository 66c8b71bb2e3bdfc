package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.cli.Kasha;
import io.kasha.cli.study.StudyFile;
import io.kasha.schemas.SchedulerKind;
import io.kasha.spec.StudyValidator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChaosCommandTest {

  @TempDir
  Path dir;

  private static CampaignSettings parse(final String... args) {
    final String[] line = new String[args.length + 1];
    line[0] = "chaos";
    System.arraycopy(args, 0, line, 1, args.length);
    final CommandLine.ParseResult parsed = Kasha.commandLine().parseArgs(line);
    return ((ChaosCommand) parsed.subcommand().commandSpec().userObject()).settings();
  }

  @Test
  void theBenchModulePlugsKashaChaosIntoKasha() {
    assertThat((Object) Kasha.commandLine().getSubcommands().get("chaos").getCommand()).isInstanceOf(ChaosCommand.class);
  }

  @Test
  void theFullCampaignIsTwentyRunnerKillsFiveSchedulerKillsTwoWipesAndOneBrokerRestart() {
    final CampaignSettings settings = parse();

    assertThat(settings.runnerKills()).isEqualTo(20);
    assertThat(settings.schedulerKills()).isEqualTo(5);
    assertThat(settings.wipes()).isEqualTo(2);
    assertThat(settings.brokerRestarts()).isEqualTo(1);
    assertThat(settings.parallelism()).isEqualTo(settings.runners() * settings.slots());
    assertThat(settings.leastWork()).isEqualTo(81 + 27 * 2 + 9 * 6 + 3 * 18);
  }

  @Test
  void theShortCampaignIsSmallerAndOptionsBesideItStillApply() {
    assertThat(parse("--short")).satisfies(s -> {
      assertThat(s.runnerKills()).isEqualTo(3);
      assertThat(s.schedulerKills()).isEqualTo(1);
      assertThat(s.wipes()).isEqualTo(1);
      assertThat(s.brokerRestarts()).isEqualTo(1);
      assertThat(s.leastWork()).isEqualTo(27 + 9 * 2 + 3 * 6);
      assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(10));
    });
    assertThat(parse("--short", "--runner-kills", "5", "--timeout", "20m")).satisfies(s -> {
      assertThat(s.runnerKills()).isEqualTo(5);
      assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(20));
    });
  }

  @Test
  void theStudyItSubmitsIsAValidAshaStudyOfItsObjective() throws Exception {
    final Path file = Files.writeString(dir.resolve("study.yaml"), parse("--short").studyFile());

    final StudyFile study = StudyFile.read(file);

    assertThat(StudyValidator.validate(study.spec())).isEmpty();
    assertThat(study.spec().getScheduler()).isEqualTo(SchedulerKind.ASHA);
    assertThat(study.spec().getEntrypoint()).isEqualTo(PacedObjective.NAME);
    assertThat(study.spec().getMaxTrials()).isEqualTo(27);
  }

  @Test
  void badOptionsAreRefusedWithEveryProblemAndExitStatus2() {
    final StringWriter err = new StringWriter();
    final CommandLine kasha = Kasha.commandLine();
    kasha.setErr(new PrintWriter(err, true));

    final int exit = kasha.execute("chaos", "--scheduler-kills", "1", "--wipes", "2", "--runners", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--wipes 2 is more than --scheduler-kills 1")
        .contains("--runners must be at least 1");
  }
}
