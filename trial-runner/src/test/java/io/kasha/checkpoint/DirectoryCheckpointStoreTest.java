package io.kasha.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryCheckpointStoreTest {

  @TempDir Path root;

  @Test
  void storesAWrittenCheckpointUnderStudyTrialAndResource() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final Path out = store.allocate("study-1", "trial-7");
    Files.writeString(out.resolve("weights.bin"), "w");
    Files.createDirectory(out.resolve("optimizer"));
    Files.writeString(out.resolve("optimizer/state"), "s");

    final Optional<URI> uri = store.save("study-1", "trial-7", 9, out);

    final Path stored = root.resolve("study-1").resolve("trial-7").resolve("9");
    assertThat(uri).hasValue(stored.toUri());
    assertThat(uri.get().getScheme()).isEqualTo("file");
    assertThat(stored.resolve("weights.bin")).hasContent("w");
    assertThat(stored.resolve("optimizer/state")).hasContent("s");
    assertThat(out).doesNotExist();
    assertThat(root.resolve("study-1/trial-7")).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("."));
  }

  @Test
  void anEmptyCheckpointDirectoryGivesNoUri() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final Path out = store.allocate("study-1", "trial-7");

    assertThat(store.save("study-1", "trial-7", 3, out)).isEmpty();
    assertThat(out).doesNotExist();
    assertThat(root.resolve("study-1")).doesNotExist();
  }

  @Test
  void allocatesAFreshEmptyDirectoryEachTime() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);

    final Path first = store.allocate("study-1", "trial-7");
    final Path second = store.allocate("study-1", "trial-7");

    assertThat(first).isEmptyDirectory();
    assertThat(second).isEmptyDirectory().isNotEqualTo(first);
  }

  @Test
  void savingTheSameResourceTwiceKeepsTheFirstCheckpoint() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final Path first = store.allocate("s", "t");
    Files.writeString(first.resolve("loss.txt"), "first");
    final Path second = store.allocate("s", "t");
    Files.writeString(second.resolve("loss.txt"), "second");

    final Optional<URI> firstUri = store.save("s", "t", 3, first);
    final Optional<URI> secondUri = store.save("s", "t", 3, second);

    assertThat(secondUri).isEqualTo(firstUri);
    assertThat(store.resolve(firstUri.orElseThrow()).resolve("loss.txt")).hasContent("first");
    assertThat(second).doesNotExist();
    assertThat(root.resolve("s/t")).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("."));
  }

  @Test
  void discardDeletesAnAllocatedDirectoryAndItsContent() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final Path out = store.allocate("s", "t");
    Files.createDirectories(out.resolve("a/b"));
    Files.writeString(out.resolve("a/b/c"), "x");

    store.discard(out);

    assertThat(out).doesNotExist();
  }

  @Test
  void resolvesAStoredUriBackToItsDirectory() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final Path out = store.allocate("s", "t");
    Files.writeString(out.resolve("x"), "x");
    final URI uri = store.save("s", "t", 1, out).orElseThrow();

    assertThat(store.resolve(uri)).isEqualTo(root.resolve("s/t/1")).isDirectory();
  }

  @Test
  void refusesUrisOfOtherSchemes() {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);

    assertThatThrownBy(() -> store.resolve(URI.create("s3://bucket/s/t/1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/s/t/1")
        .hasMessageContaining("not a file:// URI");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc", "/", ".", "s/../../outside", ".incoming/x"})
  void refusesLocationsOutsideTheStore(final String relative) {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final URI uri = relative.startsWith("/") ? Path.of(relative).toUri() : URI.create(root.toUri() + relative);

    assertThatThrownBy(() -> store.resolve(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the checkpoint store");
  }

  @Test
  void refusesALinkThatLeadsOutOfTheStore(@TempDir final Path elsewhere) throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    Files.createDirectories(root.resolve("s/t"));
    Files.createSymbolicLink(root.resolve("s/t/1"), elsewhere);

    assertThatThrownBy(() -> store.resolve(root.resolve("s/t/1").toUri()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("through a link");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "../escape", "a/b", "", ".hidden", "-flag"})
  void refusesIdsThatAreNotOneSafeDirectoryName(final String id) {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);

    assertThatThrownBy(() -> store.allocate(id, "t")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("study id");
    assertThatThrownBy(() -> store.allocate("s", id)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trial id");
  }

  @Test
  void refusesToSaveADirectoryItDidNotAllocate(@TempDir final Path elsewhere) throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    Files.writeString(elsewhere.resolve("x"), "x");

    assertThatThrownBy(() -> store.save("s", "t", 1, elsewhere))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was not allocated");
    assertThat(elsewhere.resolve("x")).exists();
  }

  private static URI saved(final DirectoryCheckpointStore store, final String trial, final long resource)
      throws Exception {
    final Path out = store.allocate("study-1", trial);
    Files.writeString(out.resolve("weights.bin"), trial + "@" + resource);
    return store.save("study-1", trial, resource, out).orElseThrow();
  }

  @Test
  void releaseDeletesEveryCheckpointOfTheTrialAndItsDirectory() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    saved(store, "trial-1", 1);
    saved(store, "trial-1", 3);
    final URI other = saved(store, "trial-2", 1);

    final int deleted = store.release("study-1", "trial-1", Optional.empty());

    assertThat(deleted).isEqualTo(2);
    assertThat(root.resolve("study-1/trial-1")).doesNotExist();
    assertThat(Path.of(other)).isDirectory();
  }

  @Test
  void releaseKeepsTheCheckpointItIsToldToKeep() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    saved(store, "trial-1", 1);
    final URI last = saved(store, "trial-1", 3);

    final int deleted = store.release("study-1", "trial-1", Optional.of(last));

    assertThat(deleted).isEqualTo(1);
    assertThat(Path.of(last).resolve("weights.bin")).hasContent("trial-1@3");
    assertThat(root.resolve("study-1/trial-1")).isDirectoryContaining(path -> path.equals(Path.of(last)))
        .isDirectoryNotContaining(path -> path.getFileName().toString().equals("1"));
  }

  @Test
  void releasingTwiceOrReleasingWhatWasNeverSavedDeletesNothing() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    saved(store, "trial-1", 1);
    store.release("study-1", "trial-1", Optional.empty());

    assertThat(store.release("study-1", "trial-1", Optional.empty())).isZero();
    assertThat(store.release("study-9", "trial-5", Optional.empty())).isZero();
  }

  @Test
  void releaseRefusesNamesThatLeaveTheStore() {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);

    assertThatThrownBy(() -> store.release("study-1", "..", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.release("../study-1", "trial-1", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
