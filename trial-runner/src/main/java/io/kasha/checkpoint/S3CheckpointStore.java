package io.kasha.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Checkpoints in a bucket of AWS S3 or of any S3-compatible server, named by {@code s3://} URIs, so
 * that runners need no shared file system.
 *
 * <p>Layout: checkpoint {@code s3://BUCKET/PREFIX/<studyId>/<name>/<resource>/} is the object {@code
 * <studyId>/<name>/<resource>/MANIFEST} under the prefix, with the checkpoint's files under {@code
 * <studyId>/<name>/<resource>/<upload id>/}. {@link #save} uploads every file (in parts, through the
 * SDK's transfer manager, when larger than a part), then writes the {@link CheckpointManifest} last:
 * a checkpoint exists once its manifest does, never half of one. Saving a checkpoint that already has
 * a manifest uploads nothing; two saves racing each upload under their own id, the manifest is written
 * only if none exists (where the server supports that condition; elsewhere the last one wins), and
 * either way a manifest names files of its own upload only.
 *
 * <p>{@link #resolve} downloads a checkpoint into a fresh local directory and checks every file against
 * the manifest's sizes and SHA-256 digests; {@link #done} deletes that copy, and {@link #close} every
 * local directory. {@link #release} deletes by key prefix, manifests first so that no reader meets a
 * half-deleted checkpoint, and reaches only the keys of one study's one name under this store's prefix.
 *
 * <p>Thread-safe: the SDK's clients are, and every local directory is a fresh one.
 */
public final class S3CheckpointStore implements CheckpointStore, AutoCloseable {

  static final String MANIFEST = "MANIFEST";

  private static final Logger LOG = LoggerFactory.getLogger(S3CheckpointStore.class);
  private static final int DELETE_BATCH = 1000;

  private final S3Location location;
  private final S3Settings settings;
  private final S3AsyncClient s3;
  private final S3TransferManager transfers;
  private final Path local;
  private final Path incoming;
  private final Path downloads;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A store at {@code location}, keeping the checkpoints being written and those downloaded in a new
   * directory under {@code localParent}, deleted by {@link #close}.
   */
  public S3CheckpointStore(final S3Location location, final S3Settings settings, final Path localParent)
      throws IOException {
    this.location = location;
    this.settings = settings;
    this.local = Files.createTempDirectory(Files.createDirectories(localParent), "kasha-checkpoints-")
        .toAbsolutePath().normalize();
    this.incoming = Files.createDirectory(local.resolve("incoming"));
    this.downloads = Files.createDirectory(local.resolve("downloads"));
    this.s3 = settings.client();
    this.transfers = S3TransferManager.builder().s3Client(s3).build();
  }

  public S3Location location() {
    return location;
  }

  /** The local directory of this store's checkpoints being written and downloaded. */
  public Path localDirectory() {
    return local;
  }

  @Override
  public Path allocate(final String studyId, final String trialId) throws IOException {
    CheckpointNames.check("study id", studyId);
    CheckpointNames.check("trial id", trialId);
    return Files.createDirectory(incoming.resolve(UUID.randomUUID().toString()));
  }

  @Override
  public Optional<URI> save(final String studyId, final String name, final long resource, final Path directory)
      throws IOException {
    CheckpointNames.check("study id", studyId);
    CheckpointNames.check("trial id", name);
    if (resource < 0) {
      throw new IllegalArgumentException("resource must not be negative, got " + resource);
    }
    checkIn(incoming, directory, "allocated");
    final String key = location.checkpointKey(studyId, name, resource);
    final URI uri = location.uri(key);
    final boolean empty = LocalTrees.isEmpty(directory);
    if (empty || exists(key + MANIFEST)) {
      LocalTrees.delete(directory);
      return empty ? Optional.empty() : Optional.of(uri);
    }
    final CheckpointManifest manifest = CheckpointManifest.of(directory, UUID.randomUUID().toString());
    final String data = key + manifest.data() + "/";
    try {
      final List<CompletableFuture<?>> uploads = new ArrayList<>();
      for (final CheckpointManifest.Entry file : manifest.files()) {
        uploads.add(transfers.uploadFile(upload -> upload
            .putObjectRequest(put -> put.bucket(location.bucket()).key(data + file.path()))
            .source(CheckpointManifest.resolve(directory, file.path()))).completionFuture());
      }
      await(CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)), "upload " + uri);
      if (!putManifest(key + MANIFEST, manifest)) {
        deletePrefix(data);
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(data);
      throw e;
    }
    LocalTrees.delete(directory);
    LOG.debug("saved {}: {} file(s), {} bytes", uri, manifest.files().size(), manifest.bytes());
    return Optional.of(uri);
  }

  @Override
  public void discard(final Path directory) throws IOException {
    checkIn(incoming, directory, "allocated");
    LocalTrees.delete(directory);
  }

  @Override
  public int release(final String studyId, final String name, final Optional<URI> keep) throws IOException {
    CheckpointNames.check("study id", studyId);
    CheckpointNames.check("checkpoint name", name);
    final String nameKey = location.nameKey(studyId, name);
    final Optional<String> kept = keep.flatMap(location::checkpointKeyOf);
    final List<String> manifests = new ArrayList<>();
    final List<String> others = new ArrayList<>();
    await(s3.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(nameKey))
        .contents().subscribe((S3Object object) -> {
          if (written(object) && kept.map(k -> !object.key().startsWith(k)).orElse(true)) {
            (object.key().endsWith("/" + MANIFEST) && isCheckpointManifest(nameKey, object.key()) ? manifests : others)
                .add(object.key());
          }
        }), "list " + location.uri(nameKey));
    deleteKeys(manifests);
    deleteKeys(others);
    return manifests.size();
  }

  /**
   * Downloads the checkpoint {@code uri} names into a new local directory and checks it against its
   * manifest; {@link #done} deletes the copy.
   *
   * @throws IllegalArgumentException if {@code uri} is not a checkpoint of this store's bucket and prefix
   * @throws UncheckedIOException if it has no manifest (never completely saved, or released), cannot
   *     be downloaded, or a file differs from the manifest
   */
  @Override
  public Path resolve(final URI uri) {
    final String key = location.checkpointKeyOf(uri).orElseThrow(() -> new IllegalArgumentException(
        "checkpoint " + uri + " is outside the checkpoint store " + location
            + " (its checkpoints are " + location + "<study>/<name>/<resource>/)"));
    Path target = null;
    try {
      final CheckpointManifest manifest = manifest(uri, key);
      target = Files.createDirectory(downloads.resolve(UUID.randomUUID().toString()));
      download(uri, key, manifest, target);
      LOG.debug("downloaded {}: {} file(s), {} bytes", uri, manifest.files().size(), manifest.bytes());
      return target;
    } catch (IOException e) {
      deleteLocalQuietly(target);
      throw new UncheckedIOException("checkpoint " + uri + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteLocalQuietly(target);
      throw e;
    }
  }

  /** Deletes a directory {@link #resolve} downloaded. */
  @Override
  public void done(final Path resolved) throws IOException {
    checkIn(downloads, resolved, "downloaded");
    LocalTrees.delete(resolved);
  }

  /** Closes the clients and deletes this store's local directory, with whatever is still in it. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      transfers.close();
      s3.close();
    }
    LocalTrees.delete(local);
  }

  /** The location and the endpoint; never the credentials. */
  @Override
  public String toString() {
    return "S3CheckpointStore[" + location + ", " + settings + "]";
  }

  private CheckpointManifest manifest(final URI uri, final String key) throws IOException {
    final byte[] json;
    try {
      json = await(s3.getObject(get -> get.bucket(location.bucket()).key(key + MANIFEST),
          AsyncResponseTransformer.toBytes()), "read the manifest").asByteArray();
    } catch (IOException e) {
      if (status(e) == 404) {
        throw new NoSuchFileException(uri.toString(), null,
            "no checkpoint there (no manifest: never completely saved, or released)");
      }
      throw e;
    }
    return CheckpointManifest.parse(json);
  }

  private void download(final URI uri, final String key, final CheckpointManifest manifest, final Path target)
      throws IOException {
    for (final String directory : manifest.directories()) {
      Files.createDirectories(CheckpointManifest.resolve(target, directory));
    }
    final String data = key + manifest.data() + "/";
    final List<CompletableFuture<?>> downloaded = new ArrayList<>();
    for (final CheckpointManifest.Entry file : manifest.files()) {
      final Path destination = CheckpointManifest.resolve(target, file.path());
      Files.createDirectories(destination.getParent());
      downloaded.add(transfers.downloadFile(download -> download
          .getObjectRequest(get -> get.bucket(location.bucket()).key(data + file.path()))
          .destination(destination)).completionFuture());
    }
    try {
      await(CompletableFuture.allOf(downloaded.toArray(CompletableFuture[]::new)), "download");
    } catch (IOException e) {
      if (status(e) == 404) {
        throw new IOException("a file its manifest lists is missing from the bucket (" + e.getMessage() + ")", e);
      }
      throw e;
    }
    manifest.verify(target);
  }

  /** Writes the manifest unless one exists; false if another save's manifest was there first. */
  private boolean putManifest(final String key, final CheckpointManifest manifest) throws IOException {
    try {
      await(s3.putObject(put -> put.bucket(location.bucket()).key(key).ifNoneMatch("*")
          .contentType("application/json"), AsyncRequestBody.fromBytes(manifest.toJson())), "write the manifest");
      return true;
    } catch (IOException e) {
      // 412: another save's manifest is there; 409: one was being written meanwhile
      if (status(e) == 412 || status(e) == 409 && exists(key)) {
        return false;
      }
      throw e;
    }
  }

  private boolean exists(final String key) throws IOException {
    try {
      await(s3.headObject(head -> head.bucket(location.bucket()).key(key)), "look for " + key);
      return true;
    } catch (IOException e) {
      if (status(e) == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * False for a key ending in '/': no file's key does, so save never wrote it; it is a folder marker,
   * which some servers list for every level of a key (s3proxy's filesystem store, which also hangs
   * on deleting one that has keys under it).
   */
  private static boolean written(final S3Object object) {
    return !object.key().endsWith("/");
  }

  /** True for {@code <nameKey><resource>/MANIFEST}, not for a file of a checkpoint that is called so. */
  private static boolean isCheckpointManifest(final String nameKey, final String key) {
    final String rest = key.substring(nameKey.length());
    return rest.indexOf('/') == rest.length() - MANIFEST.length() - 1;
  }

  private void deletePrefix(final String prefix) throws IOException {
    final List<String> keys = new ArrayList<>();
    await(s3.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(prefix))
        .contents().subscribe((S3Object object) -> {
          if (written(object)) {
            keys.add(object.key());
          }
        }), "list " + prefix);
    deleteKeys(keys);
  }

  private void deleteQuietly(final String prefix) {
    try {
      deletePrefix(prefix);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot delete the partial upload {}: {}", location.uri(prefix), e.toString());
    }
  }

  private void deleteKeys(final List<String> keys) throws IOException {
    final Set<String> unique = new LinkedHashSet<>(keys);
    final List<String> all = new ArrayList<>(unique);
    for (int from = 0; from < all.size(); from += DELETE_BATCH) {
      final List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH)).stream()
          .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
      final DeleteObjectsResponse response = await(s3.deleteObjects(delete -> delete.bucket(location.bucket())
          .delete(Delete.builder().objects(batch).quiet(true).build())), "delete");
      if (response.hasErrors() && !response.errors().isEmpty()) {
        final var error = response.errors().get(0);
        throw new IOException("cannot delete " + location.uri(error.key()) + ": " + error.code() + " "
            + error.message() + (response.errors().size() > 1 ? " (and " + (response.errors().size() - 1)
            + " more)" : ""));
      }
    }
  }

  private static void checkIn(final Path parent, final Path directory, final String how) {
    final Path normalized = directory.toAbsolutePath().normalize();
    if (!parent.equals(normalized.getParent())) {
      throw new IllegalArgumentException(directory + " was not " + how + " by the checkpoint store " + parent);
    }
  }

  private static void deleteLocalQuietly(final Path directory) {
    if (directory != null) {
      try {
        LocalTrees.delete(directory);
      } catch (IOException e) {
        LOG.warn("cannot delete the download {}: {}", directory, e.toString());
      }
    }
  }

  /**
   * Waits for an SDK call; whatever fails comes out as an IOException saying what was being done, with
   * the SDK's exception as its cause (whose messages name the request, never the credentials).
   */
  private static <T> T await(final CompletableFuture<T> call, final String what) throws IOException {
    try {
      return call.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while ((cause instanceof CompletionException || cause instanceof SdkClientException)
          && cause.getCause() instanceof SdkException) {
        cause = cause.getCause();
      }
      throw new IOException(what + ": " + cause.getMessage(), cause);
    }
  }

  /** The status code of the S3 error that {@code e} reports, or 0. */
  private static int status(final IOException e) {
    return e.getCause() instanceof S3Exception s3Error ? s3Error.statusCode() : 0;
  }
}
