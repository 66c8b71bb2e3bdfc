package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.entrypoint.Cancellation;
import io.kasha.schemas.EventType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's reactions to study events, on a real checkpoint directory; no broker is needed. */
class StudyEventFollowerTest {

  @TempDir Path root;

  private final EndedStudies ended = new EndedStudies();

  private StudyEventFollower follower(final DirectoryCheckpointStore store) {
    return new StudyEventFollower(Map.of(), Topics.defaults().studyEvents(), Topics.defaults().studyStatus(), ended,
        store);
  }

  private static URI save(final DirectoryCheckpointStore store, final String trial, final long resource)
      throws Exception {
    final Path out = store.allocate("s1", trial);
    Files.writeString(out.resolve("state"), trial);
    return store.save("s1", trial, resource, out).orElseThrow();
  }

  private static StudyEvent.Builder event(final EventType type) {
    return StudyEvent.newBuilder().setStudyId("s1").setSeq(1).setType(type);
  }

  @Test
  void aCompletedStudyCancelsItsRunningJobs() {
    final Cancellation running = new Cancellation();
    ended.track("s1", running);

    follower(new DirectoryCheckpointStore(root))
        .handle(event(EventType.STUDY_COMPLETED).setStatus("STOPPED").build());

    assertThat(running.isCancelled()).isTrue();
    assertThat(ended.hasEnded("s1")).isTrue();
  }

  @Test
  void releasedCheckpointsAreDeletedButTheKeptOne() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final URI loser = save(store, "s1-t1", 1);
    final URI bestEarly = save(store, "s1-t2", 1);
    final URI bestLast = save(store, "s1-t2", 3);
    final URI unreleased = save(store, "s1-t3", 1);

    follower(store).handle(event(EventType.CHECKPOINTS_RELEASED)
        .setReleasedCheckpoints(List.of("s1-t1", "s1-t2", "s1-t9"))
        .setKeptCheckpoint(bestLast.toString())
        .build());

    assertThat(Path.of(loser)).doesNotExist();
    assertThat(Path.of(bestEarly)).doesNotExist();
    assertThat(Path.of(bestLast).resolve("state")).hasContent("s1-t2");
    assertThat(Path.of(unreleased)).isDirectory();
  }

  @Test
  void anUnsafeNameIsSkippedAndTheOthersAreStillDeleted() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final URI checkpoint = save(store, "s1-t1", 1);

    follower(store).handle(event(EventType.CHECKPOINTS_RELEASED)
        .setReleasedCheckpoints(List.of("..", "s1-t1"))
        .build());

    assertThat(Path.of(checkpoint)).doesNotExist();
    assertThat(root.resolve("s1")).isDirectory();
  }

  @Test
  void otherEventsChangeNothing() throws Exception {
    final DirectoryCheckpointStore store = new DirectoryCheckpointStore(root);
    final URI checkpoint = save(store, "s1-t1", 1);

    follower(store).handle(event(EventType.TRIAL_STOPPED).setTrialId("s1-t1").build());

    assertThat(Path.of(checkpoint)).isDirectory();
    assertThat(ended.hasEnded("s1")).isFalse();
  }
}
