package io.kasha.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The S3 store against a real S3 API server (s3proxy on a filesystem) through the real SDK: what it
 * stores, what it refuses to read, and what a reader can trust. Each test has a study of its own.
 */
class S3CheckpointStoreTest {

  private static final String BUCKET = "checkpoints";
  private static final AtomicInteger STUDIES = new AtomicInteger();

  @TempDir static Path serverDir;
  @TempDir static Path localParent;
  private static S3TestServer server;
  private static S3CheckpointStore store;

  /** A study of this test's own, so that what one test stores cannot meet another's. */
  private String study;

  @BeforeAll
  static void startServerAndStore() throws Exception {
    server = S3TestServer.start(serverDir);
    server.createBucket(BUCKET);
    store = new S3CheckpointStore(new S3Location(BUCKET, "team/ckpt"), server.settings(), localParent);
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
  void aNestedDirectoryComesBackAsItWasSaved() throws Exception {
    final Path out = store.allocate(study, "trial-7");
    Files.writeString(out.resolve("weights.bin"), "w");
    Files.createDirectories(out.resolve("optimizer/moments"));
    Files.writeString(out.resolve("optimizer/state"), "s");
    Files.write(out.resolve("optimizer/moments/first"), new byte[] {0, 1, 2, (byte) 255});
    Files.createDirectories(out.resolve("logs/empty"));

    final URI uri = store.save(study, "trial-7", 9, out).orElseThrow();
    final Path in = store.resolve(uri);

    assertThat(uri).hasToString("s3://" + BUCKET + "/team/ckpt/" + study + "/trial-7/9/");
    assertThat(out).doesNotExist();
    assertThat(in.resolve("weights.bin")).hasContent("w");
    assertThat(in.resolve("optimizer/state")).hasContent("s");
    assertThat(in.resolve("optimizer/moments/first")).hasBinaryContent(new byte[] {0, 1, 2, (byte) 255});
    assertThat(in.resolve("logs/empty")).isEmptyDirectory();
    assertThat(tree(in)).containsExactly("logs", "logs/empty", "optimizer", "optimizer/moments",
        "optimizer/moments/first", "optimizer/state", "weights.bin");
    assertThat(server.keys(BUCKET, "team/ckpt/" + study + "/trial-7/9/")).contains("team/ckpt/" + study + "/trial-7/9/MANIFEST");
    store.done(in);
  }

  @Test
  void aLargeFileGoesUpInPartsAndComesBackWhole() throws Exception {
    final byte[] weights = new byte[20 * 1024 * 1024];
    new Random(7).nextBytes(weights);
    final Path out = store.allocate(study, "t");
    Files.write(out.resolve("weights.bin"), weights);

    final long upload = System.nanoTime();
    final URI uri = store.save(study, "t", 3, out).orElseThrow();
    final long download = System.nanoTime();
    final Path in = store.resolve(uri);
    final long done = System.nanoTime();

    System.out.printf("S3 checkpoint of %d bytes in %d MiB parts: upload %d ms, download and check %d ms%n",
        weights.length, S3Settings.MIN_PART_SIZE >> 20, (download - upload) / 1_000_000, (done - download) / 1_000_000);
    assertThat(Files.readAllBytes(in.resolve("weights.bin"))).isEqualTo(weights);
    final String key = server.keys(BUCKET, "team/ckpt/" + study + "/t/3/").stream().filter(k -> k.endsWith("/weights.bin"))
        .findFirst().orElseThrow();
    assertThat(server.client().headObject(head -> head.bucket(BUCKET).key(key)).eTag())
        .as("a multipart upload's ETag counts its parts").endsWith("-4\"");
    store.done(in);
  }

  @Test
  void anEmptyCheckpointGivesNoUriAndStoresNothing() throws Exception {
    final Path out = store.allocate(study, "t");

    assertThat(store.save(study, "t", 3, out)).isEmpty();
    assertThat(out).doesNotExist();
    assertThat(objects()).isEmpty();
  }

  @Test
  void savingTheSameResourceTwiceKeepsTheFirstCheckpoint() throws Exception {
    final Path first = store.allocate(study, "t");
    Files.writeString(first.resolve("loss.txt"), "first");
    final Path second = store.allocate(study, "t");
    Files.writeString(second.resolve("loss.txt"), "second");

    final Optional<URI> firstUri = store.save(study, "t", 3, first);
    final Optional<URI> secondUri = store.save(study, "t", 3, second);

    assertThat(secondUri).isEqualTo(firstUri);
    final Path in = store.resolve(firstUri.orElseThrow());
    assertThat(in.resolve("loss.txt")).hasContent("first");
    assertThat(second).doesNotExist();
    assertThat(objects()).as("one manifest, one file").hasSize(2);
    store.done(in);
  }

  @Test
  void savesRacingForOneCheckpointLeaveOneWholeCheckpoint() throws Exception {
    final int racers = 4;
    final CountDownLatch start = new CountDownLatch(1);
    final ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      final List<Future<Optional<URI>>> saves = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        final Path out = store.allocate(study, "t");
        final String token = "run-" + i;
        for (int file = 0; file < 5; file++) {
          Files.writeString(out.resolve("part-" + file), token);
        }
        saves.add(pool.submit(() -> {
          start.await();
          return store.save(study, "t", 3, out);
        }));
      }
      start.countDown();
      final List<Optional<URI>> uris = new ArrayList<>();
      for (final Future<Optional<URI>> save : saves) {
        uris.add(save.get());
      }

      assertThat(uris).containsOnly(uris.get(0)).allMatch(Optional::isPresent);
      final Path in = store.resolve(uris.get(0).orElseThrow());
      final String winner = Files.readString(in.resolve("part-0"));
      for (int file = 0; file < 5; file++) {
        assertThat(in.resolve("part-" + file)).as("every file from one save").hasContent(winner);
      }
      store.done(in);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void filesUploadedWithoutAManifestAreNoCheckpoint() throws Exception {
    // what a runner that died between its uploads and its manifest leaves behind
    put("team/ckpt/" + study + "/t/3/0b9d6a7e-crashed/weights.bin", "half");

    assertThatThrownBy(() -> store.resolve(URI.create("s3://" + BUCKET + "/team/ckpt/" + study + "/t/3/")))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no manifest");
    assertThat(downloads()).isEmpty();
  }

  @Test
  void aReplacedObjectIsCaughtByItsDigest() throws Exception {
    final URI uri = saved(study, "t", 3, "weights.bin", "0123456789");
    put(dataKey("t/3/", "weights.bin"), "9876543210");

    assertThatThrownBy(() -> store.resolve(uri))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining("'weights.bin' has SHA-256");
    assertThat(downloads()).as("no half-checked copy is left").isEmpty();
  }

  @Test
  void aTruncatedOrMissingObjectIsCaught() throws Exception {
    final URI truncated = saved(study, "t", 3, "weights.bin", "0123456789");
    put(dataKey("t/3/", "weights.bin"), "01234");
    final URI missing = saved(study, "t", 9, "weights.bin", "0123456789");
    server.client().deleteObject(delete -> delete.bucket(BUCKET).key(dataKey("t/9/", "weights.bin")));

    assertThatThrownBy(() -> store.resolve(truncated)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("'weights.bin' has 5 bytes, its manifest says 10");
    assertThatThrownBy(() -> store.resolve(missing)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing from the bucket");
    assertThat(downloads()).isEmpty();
  }

  @Test
  void aManifestWhosePathsLeaveTheCheckpointIsRefusedBeforeAnythingIsWritten() throws Exception {
    final String[] hostile = {"../../../escaped", "/etc/cron.d/x", "a//b", "./x"};
    for (int i = 0; i < hostile.length; i++) {
      final String key = "team/ckpt/" + study + "/t/" + i + "/";
      put(key + S3CheckpointStore.MANIFEST, "{\"format\":1,\"data\":\"d\",\"directories\":[],\"files\":[{\"path\":\""
          + hostile[i] + "\",\"size\":1,\"sha256\":\"" + "0".repeat(64) + "\"}]}");

      final URI uri = URI.create("s3://" + BUCKET + "/" + key);
      assertThatThrownBy(() -> store.resolve(uri)).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("manifest lists the path");
    }
    assertThat(tree(localParent)).noneMatch(path -> path.endsWith("escaped"));
  }

  @Test
  void doneDeletesTheDownloadedCopyAndCloseEveryLocalDirectory(@TempDir final Path local) throws Exception {
    final S3CheckpointStore own = new S3CheckpointStore(store.location(), server.settings(), local);
    final Path out = own.allocate(study, "t");
    Files.writeString(out.resolve("weights.bin"), "w");
    final URI uri = own.save(study, "t", 3, out).orElseThrow();
    final Path first = own.resolve(uri);
    final Path second = own.resolve(uri);
    final Path writing = own.allocate(study, "t");

    own.done(first);

    assertThat(first).doesNotExist();
    assertThat(second).isDirectory().isNotEqualTo(first);
    own.close();
    assertThat(own.localDirectory()).doesNotExist();
    assertThat(writing).doesNotExist();
    assertThat(local).isEmptyDirectory();
    assertThat(objects()).as("the stored checkpoint stays").isNotEmpty();
  }

  @Test
  void refusesLocalDirectoriesItDidNotHandOut(@TempDir final Path elsewhere) throws Exception {
    Files.writeString(elsewhere.resolve("x"), "x");

    assertThatThrownBy(() -> store.save(study, "t", 1, elsewhere)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was not allocated");
    assertThatThrownBy(() -> store.done(elsewhere)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was not downloaded");
    assertThatThrownBy(() -> store.discard(elsewhere)).isInstanceOf(IllegalArgumentException.class);
    assertThat(elsewhere.resolve("x")).exists();
  }

  @Test
  void manyThreadsSaveAndResolveAtOnce() throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      final List<Callable<String>> jobs = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        final String trial = "trial-" + i;
        jobs.add(() -> {
          final URI uri = saved(study, trial, 1, "state", trial);
          final Path in = store.resolve(uri);
          final String content = Files.readString(in.resolve("state"));
          store.done(in);
          return content;
        });
      }
      final List<String> contents = new ArrayList<>();
      for (final Future<String> job : pool.invokeAll(jobs)) {
        contents.add(job.get());
      }
      assertThat(contents).containsExactlyElementsOf(IntStream.range(0, 32).mapToObj(i -> "trial-" + i).toList());
      assertThat(downloads()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private URI saved(final String study, final String trial, final long resource, final String file,
      final String content) throws Exception {
    final Path out = store.allocate(study, trial);
    Files.writeString(out.resolve(file), content);
    return store.save(study, trial, resource, out).orElseThrow();
  }

  /** The key of {@code file} in the one upload of the checkpoint at {@code checkpoint} under the prefix. */
  private String dataKey(final String checkpoint, final String file) {
    return server.keys(BUCKET, "team/ckpt/" + study + "/" + checkpoint).stream().filter(key -> key.endsWith("/" + file))
        .findFirst().orElseThrow();
  }

  private void put(final String key, final String content) {
    server.client().putObject(put -> put.bucket(BUCKET).key(key),
        RequestBody.fromString(content, StandardCharsets.UTF_8));
  }

  /** This test's objects, without the directory markers that s3proxy's filesystem store lists. */
  private List<String> objects() {
    return server.keys(BUCKET, "team/ckpt/" + study + "/").stream().filter(key -> !key.endsWith("/")).toList();
  }

  /** The store's downloads that no test has handed back. */
  private static List<Path> downloads() throws Exception {
    try (Stream<Path> left = Files.list(store.localDirectory().resolve("downloads"))) {
      return left.toList();
    }
  }

  private static List<String> tree(final Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(path -> !path.equals(root)).map(path -> root.relativize(path).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }
}
