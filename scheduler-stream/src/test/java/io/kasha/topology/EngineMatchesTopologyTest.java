package io.kasha.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.study.StudyEngine;
import io.kasha.study.StudyStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same seeded study, played by the same seeded runners, through the study engine on the heap (as
 * the simulator runs it) and through the real topology on RocksDB: every job and every event is the
 * same, in the same order. The runners complete jobs in a shuffled order, fail some attempts, let one
 * lease run out, and the study is extended half-way.
 */
class EngineMatchesTopologyTest {

  /** A scheduler as the runners see it: commands and reports in, jobs and events out, and time. */
  private interface Scheduler {
    void command(StudyCommand command);

    void report(TrialReport report);

    void advance(long ms);

    List<TrialJob> takeJobs();

    List<StudyEvent> takeEvents();
  }

  @TempDir
  Path stateDir;

  @ParameterizedTest
  @EnumSource(value = SchedulerKind.class, names = {"ASHA", "ASHA_STOPPING", "ASYNC_HYPERBAND", "HYPERBAND_STOPPING",
      "MEDIAN_STOPPING", "SHA", "HYPERBAND"})
  void theEngineOnTheHeapDecidesAsTheTopologyDoes(final SchedulerKind kind) {
    final StudySpec spec = SchedulerHarness.spec().setScheduler(kind).setMaxTrials(30).setParallelism(5)
        .setMaxResource(kind == SchedulerKind.MEDIAN_STOPPING ? 9 : 27).build();

    final List<Object> onTheHeap = play(engineOnTheHeap(), spec);
    final List<Object> onTheTopology;
    try (SchedulerHarness harness = new SchedulerHarness(stateDir)) {
      onTheTopology = play(topology(harness), spec);
    }

    assertThat(onTheHeap).filteredOn(r -> r instanceof StudyEvent e && e.getType() == EventType.STUDY_COMPLETED)
        .hasSize(1);
    assertThat(onTheHeap).filteredOn(r -> r instanceof StudyEvent e && e.getType() == EventType.JOB_REISSUED)
        .hasSizeGreaterThanOrEqualTo(2)
        .anySatisfy(e -> assertThat(((StudyEvent) e).getReason()).startsWith("no report from job"))
        .anySatisfy(e -> assertThat(((StudyEvent) e).getReason()).contains("failed (EXIT_CODE: exit code 1)"));
    // the synchronous methods refuse a raised trial budget: their brackets are sized by it
    assertThat(onTheHeap).filteredOn(r -> r instanceof StudyEvent e && (e.getType() == EventType.STUDY_EXTENDED
        || e.getType() == EventType.EXTEND_REJECTED)).hasSize(1);
    assertThat(onTheHeap).hasSizeGreaterThan(60).isEqualTo(onTheTopology);
  }

  /**
   * Plays runners against the scheduler until the study ends: takes a job at random among those issued,
   * completes it with a loss of its parameters and resource, fails every seventh job's first attempt,
   * holds one job until its lease runs out, and extends the study after the tenth report.
   */
  private static List<Object> play(final Scheduler scheduler, final StudySpec spec) {
    final Random random = new Random(42);
    final List<Object> out = new ArrayList<>();
    scheduler.command(StudyCommand.newBuilder().setStudyId("s").setAction(StudyAction.CREATE).setSpec(spec).build());
    final List<TrialJob> pending = new ArrayList<>();
    TrialJob held = null;
    for (int step = 0; step < 10_000; step++) {
      final List<TrialJob> jobs = scheduler.takeJobs();
      final List<StudyEvent> events = scheduler.takeEvents();
      out.addAll(jobs);
      out.addAll(events);
      pending.addAll(jobs);
      if (events.stream().anyMatch(e -> e.getType() == EventType.STUDY_COMPLETED)) {
        return out;
      }
      if (step == 10) {
        scheduler.command(StudyCommand.newBuilder().setStudyId("s").setAction(StudyAction.EXTEND).setMaxTrials(40)
            .setReason("more").build());
        continue;
      }
      if (pending.isEmpty()) {
        // only the held job is left: let its lease run out, so it is issued again
        scheduler.advance(spec.getLeaseMs() + 1_000);
        held = null;
        continue;
      }
      final TrialJob job = pending.remove(random.nextInt(pending.size()));
      if (held == null && step == 5) {
        held = job;
        continue;
      }
      if (job.getAttempt() == 1 && step % 7 == 3) {
        scheduler.report(report(job, ReportKind.SEGMENT_FAILED).setFailureKind(FailureKind.EXIT_CODE)
            .setMessage("exit code 1").build());
        continue;
      }
      final double x = ((Number) job.getParams().get("x")).doubleValue();
      final double loss = (x - 0.3) * (x - 0.3) + 1.0 / job.getResourceTo();
      scheduler.report(report(job, ReportKind.SEGMENT_COMPLETED).setMetrics(java.util.Map.of("loss", loss))
          .setCheckpointUri("file:///ckpt/" + job.getTrialId() + "/" + job.getResourceTo()).build());
    }
    throw new AssertionError("the study did not end in 10,000 steps: " + out);
  }

  private static TrialReport.Builder report(final TrialJob job, final ReportKind kind) {
    return TrialReport.newBuilder().setStudyId(job.getStudyId()).setTrialId(job.getTrialId())
        .setJobId(job.getJobId()).setKind(kind).setResource(job.getResourceTo());
  }

  private static Scheduler engineOnTheHeap() {
    final long[] now = {SchedulerHarness.START_MS};
    final List<TrialJob> jobs = new ArrayList<>();
    final List<StudyEvent> events = new ArrayList<>();
    final StudyEngine engine = new StudyEngine(StudyStores.inMemory(), () -> now[0], new StudyEngine.Output() {
      @Override
      public void job(final TrialJob job) {
        jobs.add(job);
      }

      @Override
      public void event(final StudyEvent event) {
        events.add(event);
      }
    });
    return new Scheduler() {
      @Override
      public void command(final StudyCommand command) {
        engine.onCommand(command.getStudyId(), command);
      }

      @Override
      public void report(final TrialReport report) {
        engine.onReport(report);
      }

      @Override
      public void advance(final long ms) {
        now[0] += ms;
        engine.onTime();
      }

      @Override
      public List<TrialJob> takeJobs() {
        return take(jobs);
      }

      @Override
      public List<StudyEvent> takeEvents() {
        return take(events);
      }
    };
  }

  private static Scheduler topology(final SchedulerHarness harness) {
    return new Scheduler() {
      @Override
      public void command(final StudyCommand command) {
        harness.studies.pipeInput(command.getStudyId(), command);
      }

      @Override
      public void report(final TrialReport report) {
        harness.reports.pipeInput(report.getStudyId(), report);
      }

      @Override
      public void advance(final long ms) {
        harness.advance(Duration.ofMillis(ms));
      }

      @Override
      public List<TrialJob> takeJobs() {
        return harness.takeJobs();
      }

      @Override
      public List<StudyEvent> takeEvents() {
        return harness.drainEvents();
      }
    };
  }

  private static <T> List<T> take(final List<T> records) {
    final List<T> taken = List.copyOf(records);
    records.clear();
    return taken;
  }
}
