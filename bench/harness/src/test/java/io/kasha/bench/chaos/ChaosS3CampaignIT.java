package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.checkpoint.S3TestServer;
import io.kasha.cli.Kasha;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The short fault campaign with the runners' checkpoints only in an S3 bucket: a real S3 API server
 * (s3proxy over files) in the test JVM, runner processes with {@code --checkpoint-store s3://...} and
 * the keys in their environment. Promoted trials of {@code chaos-branin} fail unless they resume from
 * a checkpoint, so a study that completes with every check passed resumed every promotion from the
 * bucket through runner kills, a scheduler kill and a broker restart. (Which checkpoints are left at the
 * end depends on how far the runners got with the releases before the campaign stopped them, so that is
 * not checked here; {@code S3CheckpointPipelineIT} checks releases.)
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ChaosS3CampaignIT {

  private static final String BUCKET = "kasha-chaos";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void theShortCampaignEndsCleanWithCheckpointsOnlyInTheObjectStore() throws Exception {
    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).as("the runners' key, from the build's failsafe settings")
        .isEqualTo(S3TestServer.ACCESS_KEY);
    try (S3TestServer s3 = S3TestServer.start(dir.resolve("s3"))) {
      s3.createBucket(BUCKET);
      final Path json = dir.resolve("chaos.json");
      final CommandLine kasha = Kasha.commandLine();
      kasha.setOut(new PrintWriter(System.out, true));
      kasha.setErr(new PrintWriter(System.err, true));

      final int exit = kasha.execute("chaos", "--short", "--dir", dir.resolve("work").toString(),
          "--json", json.toString(),
          "--runner-option=--checkpoint-store=s3://" + BUCKET + "/campaign",
          "--runner-option=--s3-endpoint=" + s3.endpoint(),
          "--runner-option=--s3-path-style");

      final JsonNode figures = new ObjectMapper().readTree(json.toFile());
      assertThat(exit).as(figures.toPrettyString()).isZero();
      assertThat(figures.get("status").asText()).isEqualTo("COMPLETED");
      figures.get("checks").forEach(check -> assertThat(check.get("passed").asBoolean()).as(check.toString()).isTrue());
      assertThat(figures.get("faults").get("runnerKills").get("injected").asInt()).isEqualTo(3);
      assertThat(figures.get("failedTrials").asInt()).isZero();
      // promotions happened, and every one resumed from the bucket (chaos-branin fails one that cannot)
      assertThat(figures.get("results").asInt()).isGreaterThan(figures.get("trials").asInt());
      assertThat(dir.resolve("work").resolve("checkpoints")).doesNotExist();

      final List<String> stored = s3.keys(BUCKET, "campaign/");
      System.out.println("chaos with S3 checkpoints: " + figures.get("results") + " results, "
          + stored.size() + " objects left in the bucket");
      assertThat(stored).as("the study's checkpoints, in the bucket").isNotEmpty()
          .allSatisfy(key -> assertThat(key).startsWith("campaign/" + figures.get("studyId").asText() + "/"));
    }
  }
}
