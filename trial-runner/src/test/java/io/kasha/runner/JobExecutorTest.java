package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.entrypoint.Cancellation;
import io.kasha.entrypoint.SegmentOutcome;
import io.kasha.objective.HalvingObjective;
import io.kasha.objective.Objective;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.objective.TrialContext;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobExecutorTest {

  @TempDir Path root;

  private final List<TrialReport> published = new ArrayList<>();

  @Test
  void reportsStartedThenProgressAndReturnsTheCompletionWithItsCheckpoint() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));

    final TrialReport last = executor.execute(job(HalvingObjective.NAME, 0, 2, null), new Cancellation(), published::add);

    assertThat(published).extracting(TrialReport::getKind).containsExactly(ReportKind.STARTED, ReportKind.PROGRESS, ReportKind.PROGRESS);
    assertThat(published).extracting(TrialReport::getResource).containsExactly(0L, 1L, 2L);
    assertThat(published).allSatisfy(report -> {
      assertThat(report.getJobId()).isEqualTo("job-1");
      assertThat(report.getRunnerId()).isEqualTo("runner-a");
      assertThat(report.getStudyId()).isEqualTo("study-1");
    });
    assertThat(last.getKind()).isEqualTo(ReportKind.SEGMENT_COMPLETED);
    assertThat(last.getResource()).isEqualTo(2L);
    assertThat(last.getMetrics()).containsEntry("loss", 0.25);
    assertThat(last.getCheckpointUri()).isEqualTo(root.resolve("study-1/trial-1/2").toUri().toString());
    assertThat(last.getRunnerId()).isEqualTo("runner-a");
  }

  @Test
  void passesTheStoredCheckpointOfThePreviousSegment() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));
    final TrialReport first = executor.execute(job(HalvingObjective.NAME, 0, 1, null), new Cancellation(), published::add);

    final TrialReport second = executor.execute(job(HalvingObjective.NAME, 1, 3, first.getCheckpointUri()), new Cancellation(), published::add);

    assertThat(first.getMetrics()).containsEntry("loss", 0.5);
    assertThat(second.getMetrics()).containsEntry("loss", 0.125);
  }

  @Test
  void aJobWithACheckpointNameStoresItsCheckpointUnderThatNameBesideTheTrialsOlderOne() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));
    final TrialReport own = executor.execute(job(HalvingObjective.NAME, 0, 2, null), new Cancellation(), published::add);
    final TrialJob again = job(HalvingObjective.NAME, 1, 2, null);
    again.setCheckpointName("trial-1-g1");

    final TrialReport exploited = executor.execute(again, new Cancellation(), published::add);

    assertThat(exploited.getCheckpointUri()).isNotEqualTo(own.getCheckpointUri()).contains("trial-1-g1");
    assertThat(own.getCheckpointUri()).doesNotContain("-g1");
  }

  @Test
  void anUnknownEntrypointFailsWithoutRunningOrStartingAnything() throws Exception {
    final AtomicBoolean ran = new AtomicBoolean();
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new Objective() {
      @Override
      public String name() {
        return HalvingObjective.NAME;
      }

      @Override
      public void run(final TrialContext context) {
        ran.set(true);
      }
    }))));

    final TrialReport last = executor.execute(job("python-mlp", 0, 1, null), new Cancellation(), published::add);

    assertThat(last.getKind()).isEqualTo(ReportKind.SEGMENT_FAILED);
    assertThat(last.getFailureKind()).isEqualTo(FailureKind.UNKNOWN_ENTRYPOINT);
    assertThat(last.getMessage()).contains("'python-mlp'").contains(HalvingObjective.NAME);
    assertThat(published).isEmpty();
    assertThat(ran).isFalse();
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void aFailedSegmentReportsItsKindAndLeavesNoCheckpoint() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));
    final TrialJob job = job(HalvingObjective.NAME, 0, 1, null);
    job.setParams(Map.of("fail", "diverged"));

    final TrialReport last = executor.execute(job, new Cancellation(), published::add);

    assertThat(last.getKind()).isEqualTo(ReportKind.SEGMENT_FAILED);
    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("diverged");
    assertThat(published).extracting(TrialReport::getKind).containsExactly(ReportKind.STARTED);
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
    assertThat(root.resolve("study-1")).doesNotExist();
  }

  @Test
  void aCheckpointOutsideTheStoreFailsTheJobBeforeItStarts(@TempDir final Path elsewhere) throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));

    final TrialReport last = executor.execute(
        job(HalvingObjective.NAME, 1, 2, elsewhere.toUri().toString()), new Cancellation(), published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("outside the checkpoint store");
    assertThat(published).isEmpty();
  }

  @Test
  void aMissingCheckpointFailsTheJobBeforeItStarts() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));

    final TrialReport last = executor.execute(
        job(HalvingObjective.NAME, 1, 2, root.resolve("study-1/trial-1/1").toUri().toString()), new Cancellation(), published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("not found");
    assertThat(published).isEmpty();
  }

  @Test
  void anInvalidResourceRangeFailsTheJobBeforeItStarts() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));

    final TrialReport last = executor.execute(job(HalvingObjective.NAME, 3, 3, null), new Cancellation(), published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("invalid job");
    assertThat(published).isEmpty();
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
  }

  @Test
  void aTrialIdThatWouldEscapeTheStoreFailsTheJob() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new ObjectiveEntrypoint(new HalvingObjective()))));
    final TrialJob job = job(HalvingObjective.NAME, 0, 1, null);
    job.setTrialId("../../etc");

    final TrialReport last = executor.execute(job, new Cancellation(), published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("trial id");
    assertThat(Files.exists(root.resolve("../../etc/loss.txt"))).isFalse();
  }

  @Test
  void anEntrypointThatThrowsIsAnError() throws Exception {
    final JobExecutor executor = executor(EntrypointRegistry.of(List.of(new BrokenEntrypoint())));

    final TrialReport last = executor.execute(job("broken", 0, 1, null), new Cancellation(), published::add);

    assertThat(last.getFailureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(last.getMessage()).contains("bug in the entrypoint");
  }

  private JobExecutor executor(final EntrypointRegistry registry) {
    return new JobExecutor(registry, new DirectoryCheckpointStore(root), "runner-a");
  }

  private static TrialJob job(final String entrypoint, final long from, final long to, final String checkpointIn) {
    return TrialJob.newBuilder()
        .setJobId("job-1")
        .setStudyId("study-1")
        .setTrialId("trial-1")
        .setEntrypoint(entrypoint)
        .setParams(Map.of("lr", 1.0))
        .setMetric("loss")
        .setResourceFrom(from)
        .setResourceTo(to)
        .setRung(0)
        .setCheckpointIn(checkpointIn)
        .build();
  }

  private static final class BrokenEntrypoint implements io.kasha.entrypoint.Entrypoint {

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public SegmentOutcome run(
        final io.kasha.entrypoint.Segment segment,
        final io.kasha.entrypoint.ProgressListener progress,
        final Cancellation cancellation) {
      throw new IllegalStateException("bug in the entrypoint");
    }
  }
}
