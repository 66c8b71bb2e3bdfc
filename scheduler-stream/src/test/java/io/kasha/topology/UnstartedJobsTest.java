package io.kasha.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.metrics.SchedulerMetrics;
import io.kasha.schemas.TrialJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnstartedJobsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UnstartedJobs unstarted = new UnstartedJobs(new SchedulerMetrics(registry));

  private double gauge() {
    return registry.get("kasha.scheduler.jobs.unstarted").gauge().value();
  }

  private static TrialJob job(final String studyId, final String trialId, final String jobId) {
    return TrialJob.newBuilder().setJobId(jobId).setStudyId(studyId).setTrialId(trialId).setEntrypoint("e")
        .setParams(Map.of()).setMetric("loss").setResourceName("epoch").setResourceFrom(0).setResourceTo(1)
        .setRung(0).setAttempt(1).setLeaseMs(1000).build();
  }

  @Test
  void aJobCountsFromItsIssueUntilTheFirstReportOnIt() {
    unstarted.issued(job("s", "s-t1", "s-t1-r0-a1"));
    unstarted.issued(job("s", "s-t2", "s-t2-r0-a1"));
    assertThat(gauge()).isEqualTo(2);

    unstarted.reported("s-t1", "s-t1-r0-a1");
    unstarted.reported("s-t1", "s-t1-r0-a1");

    assertThat(gauge()).isEqualTo(1);
  }

  @Test
  void aReissuedJobReplacesTheOneBeforeAndAReportOnTheOldOneChangesNothing() {
    unstarted.issued(job("s", "s-t1", "s-t1-r0-a1"));
    unstarted.issued(job("s", "s-t1", "s-t1-r0-a2"));
    assertThat(gauge()).isEqualTo(1);

    unstarted.reported("s-t1", "s-t1-r0-a1");
    assertThat(gauge()).isEqualTo(1);
    unstarted.reported("s-t1", "s-t1-r0-a2");
    assertThat(gauge()).isZero();
  }

  @Test
  void anEndedStudysJobsAndAClosedTasksJobsNoLongerCount() {
    unstarted.issued(job("a", "a-t1", "a-t1-r0-a1"));
    unstarted.issued(job("a", "a-t2", "a-t2-r0-a1"));
    unstarted.issued(job("b", "b-t1", "b-t1-r0-a1"));

    unstarted.studyEnded("a");
    assertThat(gauge()).isEqualTo(1);
    unstarted.clear();
    assertThat(gauge()).isZero();
    assertThat(unstarted.size()).isZero();
  }
}
