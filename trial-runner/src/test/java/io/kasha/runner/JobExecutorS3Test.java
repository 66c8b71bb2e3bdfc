package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.S3CheckpointStore;
import io.kasha.checkpoint.S3Location;
import io.kasha.checkpoint.S3TestServer;
import io.kasha.entrypoint.Cancellation;
import io.kasha.objective.HalvingObjective;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs whose checkpoints live in an object store (a real S3 API server): the copies they read, and when those go. */
class JobExecutorS3Test {

  private static final AtomicInteger STUDIES = new AtomicInteger();

  @TempDir static Path serverDir;
  @TempDir static Path local;
  private static S3TestServer server;
  private static S3CheckpointStore store;
  private static JobExecutor executor;

  private final List<TrialReport> published = new ArrayList<>();
  /** A study of this test's own, so that no test meets another's checkpoints. */
  private String study;

  @BeforeAll
  static void start() throws Exception {
    server = S3TestServer.start(serverDir);
    server.createBucket("jobs");
    store = new S3CheckpointStore(new S3Location("jobs", "ckpt"), server.settings(), local);
    executor = new JobExecutor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))),
        store, "runner-a");
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    server.close();
  }

  @BeforeEach
  void newStudy() {
    study = "study-" + STUDIES.incrementAndGet();
  }

  @Test
  void aPromotedJobResumesFromADownloadedCopyThatIsDeletedOnceTheSegmentEnds() throws Exception {
    final TrialReport first = executor.execute(job(0, 1, null), new Cancellation(), published::add);

    final TrialReport second = executor.execute(job(1, 3, first.getCheckpointUri()), new Cancellation(), published::add);

    assertThat(first.getCheckpointUri()).isEqualTo("s3://jobs/ckpt/" + study + "/trial-1/1/");
    assertThat(first.getMetrics()).containsEntry("loss", 0.5);
    assertThat(second.getMetrics()).as("resumed from the stored loss").containsEntry("loss", 0.125);
    assertThat(second.getCheckpointUri()).isEqualTo("s3://jobs/ckpt/" + study + "/trial-1/3/");
    assertThat(localCopies()).isEmpty();
  }

  @Test
  void aFailedSegmentDeletesItsDownloadedCopyToo() throws Exception {
    final TrialReport first = executor.execute(job(0, 1, null), new Cancellation(), published::add);
    final TrialJob failing = job(1, 3, first.getCheckpointUri());
    failing.setParams(Map.of("fail", "diverged"));

    final TrialReport last = executor.execute(failing, new Cancellation(), published::add);

    assertThat(last.getKind()).isEqualTo(ReportKind.SEGMENT_FAILED);
    assertThat(localCopies()).isEmpty();
  }

  @Test
  void aCheckpointWithoutManifestFailsTheJobBeforeItStarts() throws Exception {
    final TrialReport last = executor.execute(job(1, 3, "s3://jobs/ckpt/" + study + "/trial-1/1/"), new Cancellation(),
        published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("cannot prepare the checkpoints").contains("no manifest");
    assertThat(published).isEmpty();
    assertThat(localCopies()).isEmpty();
  }

  private static List<Path> localCopies() throws Exception {
    try (Stream<Path> left = Files.list(store.localDirectory().resolve("downloads"))) {
      return left.toList();
    }
  }

  private TrialJob job(final long from, final long to, final String checkpointIn) {
    return TrialJob.newBuilder().setJobId("job-" + to).setStudyId(study).setTrialId("trial-1")
        .setEntrypoint(HalvingObjective.NAME).setParams(Map.of("lr", 1.0)).setMetric("loss")
        .setResourceFrom(from).setResourceTo(to).setRung(0).setCheckpointIn(checkpointIn).build();
  }
}
