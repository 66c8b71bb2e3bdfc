package io.kasha.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the S3 store deletes and what it reads: only the keys of one study's one name under its own
 * prefix, whatever names or URIs it is handed, against a real S3 API server.
 */
class S3CheckpointReleaseTest {

  private static final String BUCKET = "released";
  private static final AtomicInteger STUDIES = new AtomicInteger();

  @TempDir static Path localParent;
  private static S3TestServer server;
  private static S3CheckpointStore store;

  private String study;

  @BeforeAll
  static void startServerAndStore() throws Exception {
    server = S3TestServer.startInMemory();
    server.createBucket(BUCKET);
    store = new S3CheckpointStore(new S3Location(BUCKET, "ckpt"), server.settings(), localParent);
  }

  @AfterAll
  static void stopServerAndStore() throws Exception {
    store.close();
    server.close();
  }

  @BeforeEach
  void newStudy() {
    study = "study-" + STUDIES.incrementAndGet();
  }

  @Test
  void releaseDeletesEveryCheckpointOfTheNameButTheKeptOne() throws Exception {
    final URI early = saved("trial-1", 1);
    final URI last = saved("trial-1", 3);
    put("ckpt/" + study + "/trial-1/9/crashed-upload/weights.bin");
    final URI sibling = saved("trial-10", 1);
    final URI other = saved("trial-2", 1);

    final int deleted = store.release(study, "trial-1", Optional.of(last));

    assertThat(deleted).isEqualTo(1);
    assertThat(objects("ckpt/" + study + "/trial-1/")).isNotEmpty().allMatch(key -> key.startsWith(key(last)));
    assertUnreadable(early);
    assertReadable(last, "trial-1@3");
    assertReadable(sibling, "trial-10@1");
    assertReadable(other, "trial-2@1");
  }

  @Test
  void releasingTwiceOrWhatWasNeverSavedDeletesNothing() throws Exception {
    saved("trial-1", 1);
    saved("trial-1", 3);

    assertThat(store.release(study, "trial-1", Optional.empty())).isEqualTo(2);
    assertThat(store.release(study, "trial-1", Optional.empty())).isZero();
    assertThat(store.release(study, "never-saved", Optional.empty())).isZero();
    assertThat(objects("ckpt/" + study + "/")).isEmpty();
  }

  @Test
  void aKeptUriOfAnotherNameOrStoreKeepsNothingOfThisName() throws Exception {
    saved("trial-1", 1);
    final URI other = saved("trial-2", 1);

    assertThat(store.release(study, "trial-1", Optional.of(other))).isEqualTo(1);
    saved("trial-1", 1);
    assertThat(store.release(study, "trial-1",
        Optional.of(URI.create("s3://elsewhere/ckpt/" + study + "/trial-1/1/")))).isEqualTo(1);
    assertThat(objects("ckpt/" + study + "/trial-1/")).isEmpty();
    assertReadable(other, "trial-2@1");
  }

  @Test
  void releasePagesThroughTheListingAndDeletesInBatches() throws Exception {
    final int files = 1_100;
    final Path out = store.allocate(study, "wide");
    for (int i = 0; i < files; i++) {
      Files.writeString(out.resolve("shard-" + i), Integer.toString(i));
    }
    final long start = System.nanoTime();
    final URI uri = store.save(study, "wide", 1, out).orElseThrow();
    final long saved = System.nanoTime();

    final int deleted = store.release(study, "wide", Optional.empty());
    final long released = System.nanoTime();

    System.out.printf("S3 checkpoint of %d files: save %d ms, release %d ms%n", files,
        (saved - start) / 1_000_000, (released - saved) / 1_000_000);
    assertThat(deleted).isEqualTo(1);
    assertThat(objects("ckpt/" + study + "/")).as("more than one page of 1,000 keys, all deleted").isEmpty();
    assertUnreadable(uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "../escape", "a/b", "", ".hidden", "-flag", "trial-1/../trial-2", "t%2F1"})
  void releaseRefusesNamesThatCouldReachOtherKeys(final String name) throws Exception {
    final URI kept = saved("trial-2", 1);

    assertThatThrownBy(() -> store.release(study, name, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.release(name, "trial-2", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertReadable(kept, "trial-2@1");
  }

  @Test
  void releaseNeverReachesKeysOutsideItsPrefix() throws Exception {
    final List<String> outside = List.of("ckpt-other/" + study + "/trial-1/1/MANIFEST",
        study + "/trial-1/1/MANIFEST", "other/ckpt/" + study + "/trial-1/1/MANIFEST");
    outside.forEach(this::put);
    saved("trial-1", 1);

    assertThat(store.release(study, "trial-1", Optional.empty())).isEqualTo(1);

    for (final String key : outside) {
      assertThat(objects(key)).as(key).containsExactly(key);
    }
  }

  @Test
  void resolveRefusesACompleteCheckpointOutsideItsPrefix(@TempDir final Path local) throws Exception {
    final URI foreign;
    try (S3CheckpointStore elsewhere = new S3CheckpointStore(new S3Location(BUCKET, "elsewhere"), server.settings(),
        local)) {
      final Path out = elsewhere.allocate(study, "trial-1");
      Files.writeString(out.resolve("weights.bin"), "not ours");
      foreign = elsewhere.save(study, "trial-1", 1, out).orElseThrow();
    }

    assertThatThrownBy(() -> store.resolve(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the checkpoint store s3://" + BUCKET + "/ckpt/");
    assertThatThrownBy(() -> store.resolve(URI.create("s3://" + BUCKET + "/ckpt/../elsewhere/" + study + "/trial-1/1/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.resolve(URI.create("file:///tmp/" + study + "/trial-1/1/")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private URI saved(final String name, final long resource) throws Exception {
    final Path out = store.allocate(study, name);
    Files.writeString(out.resolve("weights.bin"), name + "@" + resource);
    return store.save(study, name, resource, out).orElseThrow();
  }

  private void assertReadable(final URI uri, final String content) throws Exception {
    final Path in = store.resolve(uri);
    try {
      assertThat(in.resolve("weights.bin")).hasContent(content);
    } finally {
      store.done(in);
    }
  }

  private static void assertUnreadable(final URI uri) {
    assertThatThrownBy(() -> store.resolve(uri)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("no manifest");
  }

  private void put(final String key) {
    server.client().putObject(put -> put.bucket(BUCKET).key(key), RequestBody.fromString("x", StandardCharsets.UTF_8));
  }

  private static String key(final URI uri) {
    return uri.getRawPath().substring(1);
  }

  /** The objects under {@code prefix}, without the directory markers that s3proxy's filesystem store lists. */
  private static List<String> objects(final String prefix) {
    return server.keys(BUCKET, prefix).stream().filter(key -> !key.endsWith("/")).toList();
  }
}
