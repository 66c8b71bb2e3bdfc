package io.kasha.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Local directory trees of checkpoints, which other threads or runners may be deleting too. */
final class LocalTrees {

  private LocalTrees() {}

  static boolean isEmpty(final Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Deletes the tree if it exists; true if this call deleted its top. Paths that vanish meanwhile
   * (another runner deleting the same tree) are skipped.
   */
  static boolean delete(final Path directory) throws IOException {
    final List<Path> paths;
    try (Stream<Path> walk = Files.walk(directory)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException e) {
      return false;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return delete(directory);
      }
      throw e;
    }
    boolean deletedTop = false;
    for (final Path path : paths) {
      deletedTop = Files.deleteIfExists(path) && path.equals(directory);
    }
    return deletedTop;
  }
}
