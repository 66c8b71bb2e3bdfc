package io.kasha.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checkpoints in a directory shared by the runners (a local disk, or a network file system mounted at
 * the same place on every runner), named by {@code file://} URIs.
 *
 * <p>Layout: {@code root/<studyId>/<trialId>/<resource>/} for stored checkpoints and {@code
 * root/.incoming/<random>/} for the directories segments are writing, so that storing one is a
 * rename within one file system. A checkpoint appears at its final name in one atomic rename: a
 * reader never sees half of one.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {

  static final String INCOMING = ".incoming";

  private final Path root;

  public DirectoryCheckpointStore(final Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public Path allocate(final String studyId, final String trialId) throws IOException {
    checkName("study id", studyId);
    checkName("trial id", trialId);
    final Path incoming = Files.createDirectories(root.resolve(INCOMING));
    return Files.createDirectory(incoming.resolve(UUID.randomUUID().toString()));
  }

  @Override
  public Optional<URI> save(
      final String studyId, final String trialId, final long resource, final Path directory)
      throws IOException {
    checkName("study id", studyId);
    checkName("trial id", trialId);
    if (resource < 0) {
      throw new IllegalArgumentException("resource must not be negative, got " + resource);
    }
    checkIncoming(directory);
    if (LocalTrees.isEmpty(directory)) {
      Files.delete(directory);
      return Optional.empty();
    }
    final Path trialDir = Files.createDirectories(root.resolve(studyId).resolve(trialId));
    final Path target = trialDir.resolve(Long.toString(resource));
    final Path staged = trialDir.resolve("." + resource + ".tmp-" + UUID.randomUUID());
    Files.move(directory, staged, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LocalTrees.delete(staged);
      if (!Files.isDirectory(target)) {
        throw e;
      }
    }
    return Optional.of(target.toUri());
  }

  @Override
  public void discard(final Path directory) throws IOException {
    checkIncoming(directory);
    LocalTrees.delete(directory);
  }

  @Override
  public int release(final String studyId, final String name, final Optional<URI> keep) throws IOException {
    checkName("study id", studyId);
    checkName("checkpoint name", name);
    final Path trialDir = root.resolve(studyId).resolve(name);
    final Optional<Path> kept = keep.flatMap(this::resolveIfOurs);
    final List<Path> checkpoints;
    try (Stream<Path> entries = Files.list(trialDir)) {
      checkpoints = entries.filter(checkpoint -> kept.map(k -> !k.equals(checkpoint)).orElse(true)).toList();
    } catch (NoSuchFileException e) {
      return 0;
    }
    int deleted = 0;
    for (final Path checkpoint : checkpoints) {
      if (LocalTrees.delete(checkpoint)) {
        deleted++;
      }
    }
    if (kept.map(k -> !k.startsWith(trialDir)).orElse(true)) {
      try {
        Files.deleteIfExists(trialDir);
      } catch (DirectoryNotEmptyException e) {
        // a segment of the trial saved a checkpoint meanwhile: it stays
      }
    }
    return deleted;
  }

  @Override
  public Path resolve(final URI uri) {
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "checkpoint " + uri + " is not a file:// URI; this runner stores checkpoints under " + root.toUri());
    }
    final Path path;
    try {
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint " + uri + " is not a usable file URI: " + e.getMessage(), e);
    }
    if (!path.startsWith(root) || path.equals(root) || path.startsWith(root.resolve(INCOMING))) {
      throw new IllegalArgumentException("checkpoint " + uri + " is outside the checkpoint store " + root);
    }
    if (Files.exists(path) && !realPath(path).startsWith(realPath(root))) {
      throw new IllegalArgumentException(
          "checkpoint " + uri + " leads outside the checkpoint store " + root + " through a link");
    }
    return path;
  }

  private Optional<Path> resolveIfOurs(final URI uri) {
    try {
      return Optional.of(resolve(uri));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private void checkIncoming(final Path directory) {
    final Path normalized = directory.toAbsolutePath().normalize();
    if (!root.resolve(INCOMING).equals(normalized.getParent())) {
      throw new IllegalArgumentException(directory + " was not allocated by the checkpoint store " + root);
    }
  }

  /** Ids come from messages: they may only name one directory level, never climb out of the root. */
  private static void checkName(final String what, final String name) {
    CheckpointNames.check(what, name);
  }

  private static Path realPath(final Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }
}
