package io.kasha.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.bench.chaos.LogVerdict.Check;
import io.kasha.bench.chaos.LogVerdict.TrialEnd;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogVerdictTest {

  /** Three trials in rung 0 of steps 1, 3 (eta 3); the best, t2, is promoted and completes. */
  private static List<StudyEvent> cleanLog() {
    final Log log = new Log();
    log.accepted();
    log.add(EventType.TRIAL_CREATED, "t1", 0, null);
    log.add(EventType.TRIAL_CREATED, "t2", 0, null);
    log.add(EventType.TRIAL_CREATED, "t3", 0, null);
    log.add(EventType.RUNG_RESULT, "t1", 0, 5.0);
    log.add(EventType.RUNG_RESULT, "t2", 0, 1.0);
    log.add(EventType.RUNG_RESULT, "t3", 0, 3.0);
    log.add(EventType.TRIAL_PROMOTED, "t2", 0, 1.0);
    log.add(EventType.RUNG_RESULT, "t2", 1, 0.5);
    log.add(EventType.TRIAL_COMPLETED, "t2", 1, 0.5);
    log.completed();
    return log.events;
  }

  @Test
  void aCleanLogPassesEveryCheck() {
    final LogVerdict verdict = LogVerdict.of(cleanLog());

    assertThat(verdict.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.toString()).isTrue());
    assertThat(verdict.figures().trials()).isEqualTo(3);
    assertThat(verdict.figures().results()).isEqualTo(4);
    assertThat(verdict.figures().status()).isEqualTo("COMPLETED");
    assertThat(verdict.figures().trialEnds()).isEqualTo(Map.of(TrialEnd.COMPLETED, 1L, TrialEnd.PAUSED, 2L));
  }

  @Test
  void aGapInTheEventNumbersFails() {
    final List<StudyEvent> events = cleanLog();
    events.remove(4);

    assertThat(failed(LogVerdict.of(events))).contains("event numbers contiguous", "audit (kasha events --verify)");
  }

  @Test
  void aSecondResultOfATrialInARungFails() {
    final List<StudyEvent> events = cleanLog();
    final Log log = Log.continuing(events);
    events.add(events.size() - 1, log.event(EventType.RUNG_RESULT, "t3", 0, 3.0));
    renumber(events);

    assertThat(failed(LogVerdict.of(events))).contains("no result recorded twice");
  }

  @Test
  void aTrialStillWaitingForItsResultIsLostAndAFailedOneIsNot() {
    final Log log = new Log();
    log.accepted();
    log.add(EventType.TRIAL_CREATED, "t1", 0, null);
    log.add(EventType.TRIAL_CREATED, "t2", 0, null);
    log.add(EventType.TRIAL_FAILED, "t2", 0, null);
    log.completed();

    final LogVerdict verdict = LogVerdict.of(log.events);

    assertThat(failed(verdict)).containsExactly("no trial lost");
    assertThat(verdict.figures().trialEnds()).isEqualTo(Map.of(TrialEnd.LOST, 1L, TrialEnd.FAILED, 1L));
  }

  @Test
  void aPromotionAgainstTheRuleFailsTheAudit() {
    final List<StudyEvent> events = cleanLog();
    events.set(7, Log.continuing(events.subList(0, 7)).event(EventType.TRIAL_PROMOTED, "t1", 0, 5.0));

    assertThat(failed(LogVerdict.of(events))).contains("audit (kasha events --verify)");
  }

  @Test
  void aStudyWithoutItsEndFails() {
    final List<StudyEvent> events = cleanLog();
    events.remove(events.size() - 1);

    assertThat(failed(LogVerdict.of(events))).containsExactly("study completed");
  }

  private static List<String> failed(final LogVerdict verdict) {
    return verdict.checks().stream().filter(c -> !c.passed()).map(Check::name).toList();
  }

  private static void renumber(final List<StudyEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      events.set(i, StudyEvent.newBuilder(events.get(i)).setSeq(i + 1).build());
    }
  }

  /** Builds one study's events, numbered in order. */
  private static final class Log {
    final List<StudyEvent> events = new ArrayList<>();

    static Log continuing(final List<StudyEvent> events) {
      final Log log = new Log();
      log.events.addAll(events);
      return log;
    }

    void accepted() {
      events.add(StudyEvent.newBuilder().setStudyId("s").setSeq(events.size() + 1).setType(EventType.STUDY_ACCEPTED)
          .setSpec(StudySpec.newBuilder().setName("s").setEntrypoint(PacedObjective.NAME).setMetric("loss")
              .setMode(Mode.MIN).setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT)
                  .setLow(0.0).setHigh(1.0).build()))
              .setMinResource(1).setMaxResource(3).setEta(3).setMaxTrials(3).build())
          .build());
    }

    void add(final EventType type, final String trial, final int rung, final Double metric) {
      events.add(event(type, trial, rung, metric));
    }

    StudyEvent event(final EventType type, final String trial, final int rung, final Double metric) {
      return StudyEvent.newBuilder().setStudyId("s").setSeq(events.size() + 1).setType(type).setTrialId(trial)
          .setRung(rung).setResource(rung == 0 ? 1L : 3L).setMetric(metric).build();
    }

    void completed() {
      events.add(StudyEvent.newBuilder().setStudyId("s").setSeq(events.size() + 1).setType(EventType.STUDY_COMPLETED)
          .setStatus("COMPLETED").setReason("every trial has finished").build());
    }
  }
}
