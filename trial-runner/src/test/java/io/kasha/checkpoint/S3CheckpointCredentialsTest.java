package io.kasha.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where the S3 store's keys come from, and where they never go: its log lines (the SDK's included, at
 * DEBUG), its exceptions and their causes, its own description.
 */
class S3CheckpointCredentialsTest {

  private static final String BUCKET = "credentials";
  private static final String WRONG_SECRET = "wrong-secret-7d1c0b9e5a";

  @TempDir static Path serverDir;
  private static S3TestServer server;

  @TempDir Path local;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start(serverDir);
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void theSdksDefaultChainSuppliesTheKeys() throws Exception {
    System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY);
    try (S3CheckpointStore store = new S3CheckpointStore(new S3Location(BUCKET, "chain"),
        S3Settings.defaults().withEndpoint(server.endpoint()).withPathStyle(true).withRegion(S3TestServer.REGION),
        local)) {
      final URI uri = save(store, "from the chain");

      assertThat(store.resolve(uri).resolve("weights.bin")).hasContent("from the chain");
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void aRefusedSignatureFailsWithoutPrintingEitherKey() throws Exception {
    final S3Settings wrong = server.settings().withCredentials(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, WRONG_SECRET)));
    try (CapturedLogs logs = new CapturedLogs("io.kasha.checkpoint", "software.amazon.awssdk");
         S3CheckpointStore store = new S3CheckpointStore(new S3Location(BUCKET, "wrong"), wrong, local)) {
      final Path out = store.allocate("s", "t");
      Files.writeString(out.resolve("weights.bin"), "w");

      final IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
          () -> store.save("s", "t", 1, out));

      assertThat(refused).hasMessageContaining("403");
      assertThat(stackTrace(refused)).doesNotContain(WRONG_SECRET, S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
      assertThat(logs.text()).doesNotContain(WRONG_SECRET, S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
      assertThat(store.toString()).doesNotContain(WRONG_SECRET, S3TestServer.ACCESS_KEY);
    }
  }

  @Test
  void aWholeLifeOfCheckpointsLogsNeitherKey() throws Exception {
    try (CapturedLogs logs = new CapturedLogs("io.kasha.checkpoint", "software.amazon.awssdk")) {
      try (S3CheckpointStore store = new S3CheckpointStore(new S3Location(BUCKET, "logged"), server.settings(),
          local)) {
        final URI uri = save(store, "w");
        store.done(store.resolve(uri));
        assertThatThrownBy(() -> store.resolve(URI.create("s3://" + BUCKET + "/logged/s/t/404/")))
            .hasMessageContaining("no manifest");
        store.release("s", "t", Optional.empty());

        assertThat(store.toString()).contains("s3://" + BUCKET + "/logged/", server.endpoint().toString())
            .doesNotContain(S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
      }

      assertThat(logs.text()).as("the capture sees the store's and the SDK's lines")
          .contains("saved s3://" + BUCKET + "/logged/s/t/1/").contains("software.amazon.awssdk");
      assertThat(logs.text()).doesNotContain(S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
    }
  }

  private static URI save(final S3CheckpointStore store, final String content) throws Exception {
    final Path out = store.allocate("s", "t");
    Files.writeString(out.resolve("weights.bin"), content);
    return store.save("s", "t", 1, out).orElseThrow();
  }

  private static String stackTrace(final Throwable thrown) {
    final StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
