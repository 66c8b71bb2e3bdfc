package io.kasha.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one stored checkpoint holds: every file with its size and SHA-256 digest, every directory (so
 * that empty ones come back too), and the key segment its objects were uploaded under. An object store
 * writes it last, so a checkpoint without one is incomplete; a reader checks every file against it.
 *
 * <p>Paths are relative, '/'-separated, and never contain an empty, {@code .} or {@code ..} segment:
 * a manifest read from a bucket is checked for that before any path in it is used.
 *
 * @param format the manifest format, {@value #FORMAT}
 * @param data the key segment, under the checkpoint's key, that holds its files
 * @param files the files, sorted by path
 * @param directories the directories, sorted, each listed whether or not it holds files
 */
record CheckpointManifest(int format, String data, List<Entry> files, List<String> directories) {

  static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One file of a checkpoint. */
  record Entry(String path, long size, String sha256) {}

  CheckpointManifest {
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }

  /**
   * Lists the files and directories under {@code directory}, with the files' sizes and digests.
   *
   * @throws IOException if the tree holds anything but files and directories (a link, a socket)
   */
  static CheckpointManifest of(final Path directory, final String data) throws IOException {
    final List<Entry> files = new ArrayList<>();
    final List<String> directories = new ArrayList<>();
    final List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = walk.filter(path -> !path.equals(directory)).sorted().toList();
    }
    for (final Path path : paths) {
      final String relative = relative(directory, path);
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        directories.add(relative);
      } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        files.add(new Entry(relative, Files.size(path), sha256(path)));
      } else {
        throw new IOException("the checkpoint holds '" + relative
            + "', which is neither a file nor a directory (a link?): an object store keeps only those");
      }
    }
    return new CheckpointManifest(FORMAT, data, files, directories);
  }

  long bytes() {
    return files.stream().mapToLong(Entry::size).sum();
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a checkpoint manifest", e);
    }
  }

  /**
   * Reads a manifest and checks that every path in it stays inside the checkpoint.
   *
   * @throws IOException if it is not a manifest this store writes
   */
  static CheckpointManifest parse(final byte[] json) throws IOException {
    final CheckpointManifest manifest;
    try {
      manifest = JSON.readValue(json, CheckpointManifest.class);
    } catch (IOException e) {
      throw new IOException("unreadable manifest: " + e.getMessage(), e);
    }
    if (manifest.format() != FORMAT) {
      throw new IOException("manifest format " + manifest.format() + ", this runner reads " + FORMAT);
    }
    if (!CheckpointNames.isSafe(manifest.data())) {
      throw new IOException("manifest names its data '" + manifest.data() + "', not one key segment");
    }
    final Set<String> seen = new HashSet<>();
    for (final String directory : manifest.directories()) {
      checkPath(directory, seen);
    }
    for (final Entry file : manifest.files()) {
      checkPath(file.path(), seen);
      if (file.size() < 0 || file.sha256() == null || !file.sha256().matches("[0-9a-f]{64}")) {
        throw new IOException("manifest entry '" + file.path() + "' has no valid size and SHA-256 digest");
      }
    }
    return manifest;
  }

  /** Where {@code relative}, a path of this manifest, lies under {@code directory}. */
  static Path resolve(final Path directory, final String relative) {
    final Path path = directory.resolve(relative).normalize();
    if (!path.startsWith(directory) || path.equals(directory)) {
      throw new IllegalArgumentException("'" + relative + "' leaves " + directory);
    }
    return path;
  }

  /**
   * Checks the files under {@code directory} against this manifest, by size and by SHA-256.
   *
   * @throws IOException naming the first file that is missing or differs
   */
  void verify(final Path directory) throws IOException {
    for (final Entry file : files) {
      final Path path = resolve(directory, file.path());
      final long size = Files.size(path);
      if (size != file.size()) {
        throw new IOException("'" + file.path() + "' has " + size + " bytes, its manifest says " + file.size());
      }
      final String digest = sha256(path);
      if (!digest.equals(file.sha256())) {
        throw new IOException("'" + file.path() + "' has SHA-256 " + digest + ", its manifest says " + file.sha256());
      }
    }
  }

  static String sha256(final Path file) throws IOException {
    final MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    final byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String relative(final Path directory, final Path path) {
    final List<String> segments = new ArrayList<>();
    directory.relativize(path).forEach(segment -> segments.add(segment.toString()));
    return String.join("/", segments);
  }

  private static void checkPath(final String path, final Set<String> seen) throws IOException {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw new IOException("manifest lists the path '" + path + "', which is not relative");
    }
    for (final String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IOException("manifest lists the path '" + path + "', which leaves the checkpoint or has an empty part");
      }
    }
    if (!seen.add(path)) {
      throw new IOException("manifest lists '" + path + "' twice");
    }
  }
}
