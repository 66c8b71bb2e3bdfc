package io.kasha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.checkpoint.S3CheckpointStore;
import io.kasha.checkpoint.S3Location;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointStoreOptionsTest {

  @TempDir Path dir;

  @Test
  void withoutAStoreTheRunnerUsesTheCheckpointDirectory() throws Exception {
    final CheckpointStore store = open("--checkpoint-dir", dir.toString());

    assertThat(store).isInstanceOf(DirectoryCheckpointStore.class);
    assertThat(((DirectoryCheckpointStore) store).root()).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  void aFileUriSelectsTheDirectoryStoreToo() throws Exception {
    final CheckpointStore store = open("--checkpoint-store", dir.toUri().toString());

    assertThat(((DirectoryCheckpointStore) store).root()).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  void anS3UriSelectsTheObjectStoreWithItsServerOptions() throws Exception {
    final CheckpointStore store = open("--checkpoint-store", "s3://ckpt/team/kasha", "--s3-endpoint",
        "http://127.0.0.1:9000", "--s3-path-style", "--s3-region", "eu-west-1", "--checkpoint-cache", dir.toString());
    try {
      final S3CheckpointStore s3 = (S3CheckpointStore) store;
      assertThat(s3.location()).isEqualTo(new S3Location("ckpt", "team/kasha"));
      assertThat(s3.localDirectory()).hasParent(dir.toAbsolutePath());
      assertThat(s3.toString()).contains("endpoint=http://127.0.0.1:9000", "pathStyle=true", "region=eu-west-1");
    } finally {
      ((S3CheckpointStore) store).close();
    }
    assertThat(dir).isEmptyDirectory();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--checkpoint-store gs://ckpt/p | --checkpoint-store: 'gs://ckpt/p' is not a store a runner knows; "
          + "use s3://BUCKET[/PREFIX] or file:///PATH",
      "--checkpoint-store /shared/ckpt | --checkpoint-store: '/shared/ckpt' is not a store a runner knows",
      "--checkpoint-store s3://Upper_Case/p | --checkpoint-store: 's3://Upper_Case/p': bucket 'Upper_Case' is not an "
          + "S3 bucket name",
      "--checkpoint-store s3://ckpt/a/../b | has the segment '..'",
      "--checkpoint-store file://host/shared | --checkpoint-store: 'file://host/shared' is not a local directory; "
          + "use file:///PATH",
      "--checkpoint-store s3://ckpt --checkpoint-dir /shared | --checkpoint-store: give it or --checkpoint-dir, not both",
      "--s3-endpoint http://minio:9000 | --s3-endpoint: only for an s3:// --checkpoint-store",
      "--checkpoint-store file:///shared --s3-path-style | --s3-path-style: only for an s3:// --checkpoint-store",
      "--checkpoint-store s3://ckpt --s3-endpoint ftp://minio | --s3-endpoint: endpoint 'ftp://minio' is not a "
          + "server URL; use http://HOST:PORT or https://HOST[:PORT]",
      "--checkpoint-store s3://ckpt --s3-region EU_WEST | --s3-region: region 'EU_WEST' is not a region name"})
  void aBadStoreIsAUsageErrorNamingTheOptionAndTheForms(final String arguments, final String message) {
    final Usage usage = usage(arguments.trim().split(" "));

    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains(message.trim());
  }

  @Test
  void credentialsWrittenIntoAUrlAreRefusedWithoutBeingEchoed() {
    final Usage inStore = usage("--checkpoint-store", "s3://AKIDEXAMPLE:wJalrXUtnFEMI@ckpt/p");
    final Usage inEndpoint = usage("--checkpoint-store", "s3://ckpt", "--s3-endpoint",
        "http://AKIDEXAMPLE:wJalrXUtnFEMI@minio:9000");

    assertThat(inStore.err()).contains("--checkpoint-store: an s3:// URI with a user")
        .doesNotContain("wJalrXUtnFEMI").doesNotContain("AKIDEXAMPLE");
    assertThat(inEndpoint.err()).contains("--s3-endpoint: the endpoint URL has a user part")
        .doesNotContain("wJalrXUtnFEMI").doesNotContain("AKIDEXAMPLE");
  }

  private static CheckpointStore open(final String... options) throws Exception {
    final List<String> args = new ArrayList<>(List.of("runner", "-b", "localhost:1"));
    args.addAll(List.of(options));
    final var parsed = Kasha.commandLine().parseArgs(args.toArray(String[]::new));
    final RunnerCommand runner = (RunnerCommand) parsed.subcommand().commandSpec().userObject();
    return runner.checkpoints.open();
  }

  private record Usage(int exit, String err) {}

  /** Runs {@code kasha runner} with options that must fail before it connects anywhere. */
  private static Usage usage(final String... options) {
    final List<String> args = new ArrayList<>(List.of("runner", "-b", "localhost:1"));
    args.addAll(List.of(options));
    final PrintStream err = System.err;
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    final int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = Kasha.commandLine().execute(args.toArray(String[]::new));
    } finally {
      System.setErr(err);
    }
    return new Usage(exit, captured.toString(StandardCharsets.UTF_8));
  }
}
