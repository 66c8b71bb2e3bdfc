package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.cli.Kasha;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The short campaign for real: a broker, a scheduler and runners as processes of their own, SIGKILLed while one
 * study runs. Checks what the campaign found and that it injected what it was asked to, never how fast it went;
 * the timeout is only a safety net. The work directory, with every process's logs, is kept when the test fails.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ChaosCampaignIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void theShortCampaignCompletesItsStudyThroughEveryFaultAskedFor() throws Exception {
    final Path json = dir.resolve("chaos.json");
    final CommandLine kasha = Kasha.commandLine();
    kasha.setOut(new PrintWriter(System.out, true));
    kasha.setErr(new PrintWriter(System.err, true));

    final int exit = kasha.execute("chaos", "--short", "--dir", dir.resolve("work").toString(),
        "--json", json.toString());

    final JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertThat(exit).as(figures.toPrettyString()).isZero();
    assertThat(figures.get("passed").asBoolean()).isTrue();
    assertThat(figures.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(figures.get("audit").get("passed").asBoolean()).as(figures.get("audit").toString()).isTrue();
    figures.get("checks").forEach(check -> assertThat(check.get("passed").asBoolean()).as(check.toString()).isTrue());

    final JsonNode faults = figures.get("faults");
    assertThat(faults.get("runnerKills").get("injected").asInt()).isEqualTo(3)
        .isEqualTo(faults.get("runnerKills").get("planned").asInt());
    assertThat(faults.get("schedulerKills").get("injected").asInt()).isEqualTo(1)
        .isEqualTo(faults.get("schedulerKills").get("planned").asInt());
    assertThat(faults.get("schedulerKills").get("wipes").asInt()).isEqualTo(1);
    assertThat(faults.get("brokerRestarts").get("injected").asInt()).isEqualTo(1)
        .isEqualTo(faults.get("brokerRestarts").get("planned").asInt());
    assertThat(figures.get("injected")).hasSize(5);

    final int trials = figures.get("trials").asInt();
    assertThat(trials).isEqualTo(27);
    assertThat(figures.get("trialEnds").has("lost")).isFalse();
    int ended = 0;
    for (final JsonNode count : figures.get("trialEnds")) {
      ended += count.asInt();
    }
    assertThat(ended).isEqualTo(trials);
    // every trial that did not fail has its result in rung 0
    assertThat(figures.get("results").asInt()).isGreaterThanOrEqualTo(trials - figures.get("failedTrials").asInt());
  }
}
