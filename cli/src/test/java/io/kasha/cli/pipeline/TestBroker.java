package io.kasha.cli.pipeline;

import io.kasha.cli.local.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real KRaft broker for every whole-study test class in a test JVM, started on first use and
 * closed when the JVM ends. Share-group record locks are short (3 s) so that redelivery after a
 * runner dies is quick. Each test keeps to its own topic prefix, application id and share group.
 */
final class TestBroker {

  private static EmbeddedBroker broker;

  private TestBroker() {}

  static synchronized String bootstrapServers() {
    if (broker == null) {
      final Path dir = tempDir();
      broker = EmbeddedBroker.start(dir, Map.of(
          "group.share.min.record.lock.duration.ms", "1000",
          EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "3000"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        broker.close();
        delete(dir);
      }, "test-broker-shutdown"));
    }
    return broker.bootstrapServers();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("kasha-it-broker-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(final Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a temporary directory; what is left goes with the machine's temp files
    }
  }
}
