package io.kasha.topology;

import static io.kasha.schemas.EventType.BEST_IMPROVED;
import static io.kasha.schemas.EventType.CHECKPOINTS_RELEASED;
import static io.kasha.schemas.EventType.EXTEND_REJECTED;
import static io.kasha.schemas.EventType.RUNG_RESULT;
import static io.kasha.schemas.EventType.STUDY_COMPLETED;
import static io.kasha.schemas.EventType.STUDY_EXTENDED;
import static io.kasha.schemas.EventType.TRIAL_CREATED;
import static io.kasha.schemas.EventType.TRIAL_PROMOTED;
import static io.kasha.schemas.EventType.TRIAL_STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ObjectiveSpec;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.SchedulerOptions;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.TrialJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extending, stopping and ending studies: budgets, the audit log and the release of checkpoints. */
class StudyLifecycleTest {

  @TempDir
  Path stateDir;

  private SchedulerHarness harness;

  @BeforeEach
  void start() {
    harness = new SchedulerHarness(stateDir);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static double objective(final TrialJob job) {
    final double x = ((Number) job.getParams().get("x")).doubleValue();
    return Math.abs(x - 0.3) + 1.0 / job.getResourceTo();
  }

  @Test
  void extendingTheTrialBudgetOfARunningStudyCreatesMoreTrials() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setMaxTrials(2).setParallelism(2).build());
    final List<TrialJob> first = harness.takeJobs();
    harness.complete(first.get(0), 0.5);

    harness.extend("s1", 5, null);
    harness.complete(first.get(1), 0.4);
    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    assertThat(harness.events(STUDY_EXTENDED)).singleElement().satisfies(e -> {
      assertThat(e.getReason()).contains("trial budget 2 -> 5");
      assertThat(e.getSpec().getMaxTrials()).isEqualTo(5);
    });
    assertThat(harness.events(TRIAL_CREATED)).hasSize(5);
    assertThat(harness.events(STUDY_COMPLETED)).singleElement()
        .satisfies(e -> assertThat(e.getStatus()).isEqualTo("COMPLETED"));
  }

  @Test
  void extendingTheTrialBudgetRestartsAStudyWhoseSlotsWereIdle() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setMaxTrials(1).setParallelism(2).build());
    assertThat(harness.takeJobs()).hasSize(1);

    harness.extend("s1", 3, null);

    assertThat(harness.takeJobs()).hasSize(1);
    assertThat(harness.events(TRIAL_CREATED)).hasSize(2);
  }

  @Test
  void aLowerBudgetIsRejectedAndChangesNothing() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setMaxTrials(3).setParallelism(1)
        .setMaxDurationMs(60_000L).build());

    harness.extend("s1", 2, 30_000L);
    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    assertThat(harness.events(EXTEND_REJECTED)).singleElement().satisfies(e -> {
      assertThat(e.getProblems()).hasSize(2);
      assertThat(e.getProblems().get(0)).contains("maxTrials: 2 is lower than the current budget of 3");
      assertThat(e.getProblems().get(1)).contains("maxDurationMs");
    });
    assertThat(harness.events(STUDY_EXTENDED)).isEmpty();
    assertThat(harness.events(TRIAL_CREATED)).hasSize(3);
  }

  @Test
  void aTimeBudgetForAStudyWithoutOneWouldLowerItAndIsRejected() {
    harness.create("s1", SchedulerHarness.spec().build());

    harness.extend("s1", null, 60_000L);

    assertThat(harness.events(EXTEND_REJECTED)).singleElement()
        .satisfies(e -> assertThat(e.getProblems()).singleElement().asString().contains("has no time budget"));
  }

  @Test
  void theTrialBudgetOfASynchronousStudyIsNotRaisedSinceItsBracketsAreSizedFromIt() {
    harness.create("s1", SchedulerHarness.spec().setScheduler(io.kasha.schemas.SchedulerKind.SHA).setMaxTrials(27)
        .build());

    harness.extend("s1", 81, null);

    assertThat(harness.events(EXTEND_REJECTED)).singleElement()
        .satisfies(e -> assertThat(e.getProblems()).singleElement().asString()
            .startsWith("maxTrials: a sha study sizes its brackets from the trial budget"));
  }

  @Test
  void anExtensionNamingNoBudgetIsRejected() {
    harness.create("s1", SchedulerHarness.spec().build());

    harness.extend("s1", null, null);

    assertThat(harness.events(EXTEND_REJECTED)).singleElement()
        .satisfies(e -> assertThat(e.getProblems()).singleElement().asString().contains("nothing to extend"));
  }

  @Test
  void anEndedStudyCannotBeExtended() {
    harness.create("s1", SchedulerHarness.spec().build());
    harness.stop("s1");

    harness.extend("s1", 100, null);

    assertThat(harness.events(EXTEND_REJECTED)).singleElement()
        .satisfies(e -> assertThat(e.getProblems()).singleElement().asString().contains("has ended (STOPPED)"));
    assertThat(harness.takeJobs()).hasSizeGreaterThan(0).allMatch(job -> job.getRung() == 0);
    assertThat(harness.takeJobs()).isEmpty();
  }

  @Test
  void extendingTheTimeBudgetMovesTheStudysDeadline() {
    harness.create("s1", SchedulerHarness.spec().setMaxDurationMs(10_000L).build());
    harness.takeJobs();

    harness.extend("s1", null, 30_000L);
    harness.advance(Duration.ofSeconds(11));

    assertThat(harness.events(STUDY_COMPLETED)).isEmpty();

    harness.advance(Duration.ofSeconds(20));

    assertThat(harness.events(STUDY_COMPLETED)).singleElement().satisfies(e -> {
      assertThat(e.getStatus()).isEqualTo("TIME_BUDGET");
      assertThat(e.getReason()).contains("PT30S");
    });
  }

  @Test
  void anEndedStudyReleasesTheCheckpointsOfEveryTrialButKeepsTheBestTrialsLast() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(9).setMaxTrials(9).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    final List<StudyEvent> released = harness.events(CHECKPOINTS_RELEASED);
    final StudyEvent completed = harness.events(STUDY_COMPLETED).get(0);
    final StudyEvent last = harness.events(null).get(harness.events(null).size() - 1);
    assertThat(last.getType()).isEqualTo(CHECKPOINTS_RELEASED);
    assertThat(last.getKeptCheckpoint()).isEqualTo("file:///ckpt/" + completed.getTrialId() + "/9");
    assertThat(last.getReleasedCheckpoints()).contains(completed.getTrialId());
    assertThat(released).flatMap(StudyEvent::getReleasedCheckpoints)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrder("s1-t1", "s1-t2", "s1-t3", "s1-t4", "s1-t5", "s1-t6", "s1-t7", "s1-t8", "s1-t9");
  }

  @Test
  void aClosedRungReleasesTheTrialsItWillNeverPromoteAsSoonAsItCloses() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(9).setMaxTrials(9).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    final List<StudyEvent> events = harness.events(null);
    final List<StudyEvent> closures = harness.events(CHECKPOINTS_RELEASED).stream()
        .filter(e -> e.getReason().startsWith("rung ")).toList();
    assertThat(closures).extracting(e -> e.getReason().substring(0, 6)).containsExactly("rung 0", "rung 1");
    for (final StudyEvent closure : closures) {
      final int rung = Integer.parseInt(closure.getReason().substring(5, 6));
      final int at = events.indexOf(closure);
      final Set<String> entered = trialsWith(events.subList(0, at), RUNG_RESULT, rung);
      final Set<String> promoted = trialsWith(events.subList(0, at), TRIAL_PROMOTED, rung);
      // every trial with a result in the rung but not promoted out of it, and nothing else
      assertThat(closure.getReleasedCheckpoints()).as("rung %d", rung)
          .isNotEmpty()
          .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(entered.stream().filter(t -> !promoted.contains(t)).toList());
      // the rung was closed indeed: nothing enters it, nothing leaves it afterwards
      assertThat(trialsWith(events.subList(at, events.size()), RUNG_RESULT, rung)).isEmpty();
      assertThat(trialsWith(events.subList(at, events.size()), TRIAL_PROMOTED, rung)).isEmpty();
      assertThat(events.indexOf(harness.events(STUDY_COMPLETED).get(0))).isGreaterThan(at);
    }
  }

  @Test
  void synchronousHalvingReleasesARungsOtherTrialsOnceItsLastPromotionStarted() {
    harness.create("s1", SchedulerHarness.spec().setScheduler(SchedulerKind.SHA).setMaxResource(9).setMaxTrials(9)
        .build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    final List<StudyEvent> events = harness.events(null);
    final List<StudyEvent> leftBehind = harness.events(CHECKPOINTS_RELEASED).stream()
        .filter(e -> e.getReason().startsWith("their rung's promotions")).toList();
    assertThat(leftBehind).hasSize(2);
    for (final StudyEvent release : leftBehind) {
      final int at = events.indexOf(release);
      // released right after the rung's last promotion
      assertThat(events.get(at - 1).getType()).isEqualTo(TRIAL_PROMOTED);
      final int rung = events.get(at - 1).getRung();
      final Set<String> entered = trialsWith(events.subList(0, at), RUNG_RESULT, rung);
      final Set<String> promoted = trialsWith(events.subList(0, at), TRIAL_PROMOTED, rung);
      assertThat(promoted).hasSize(rung == 0 ? 3 : 1);
      assertThat(release.getReleasedCheckpoints()).as("rung %d", rung)
          .isNotEmpty()
          .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(entered.stream().filter(t -> !promoted.contains(t)).toList());
      assertThat(events.subList(at, events.size())).filteredOn(e -> e.getType() == RUNG_RESULT)
          .extracting(StudyEvent::getTrialId).doesNotContainAnyElementsOf(release.getReleasedCheckpoints());
    }
  }

  @Test
  void asynchronousHyperbandClosesTheRungsOfEachBracket() {
    // brackets 0 (rungs at 1, 3, 9), 1 (3, 9) and 2 (9): rung r of bracket b is at resource 3^(b + r)
    harness.create("s1", SchedulerHarness.spec().setScheduler(SchedulerKind.ASYNC_HYPERBAND).setMaxResource(9)
        .setMaxTrials(24).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    final List<StudyEvent> events = harness.events(null);
    final List<StudyEvent> closures = harness.events(CHECKPOINTS_RELEASED).stream()
        .filter(e -> e.getReason().startsWith("rung ")).toList();
    assertThat(closures).extracting(e -> e.getReason().substring(0, e.getReason().indexOf(" is closed")))
        .containsExactlyInAnyOrder("rung 0 of bracket 0", "rung 1 of bracket 0", "rung 0 of bracket 1");
    for (final StudyEvent closure : closures) {
      final String[] words = closure.getReason().split(" ");
      final int rung = Integer.parseInt(words[1]);
      final long resource = (long) Math.pow(3, Integer.parseInt(words[4]) + rung);
      final int at = events.indexOf(closure);
      final Set<String> entered = trialsWith(events.subList(0, at), RUNG_RESULT, rung, resource);
      final Set<String> promoted = trialsWith(events.subList(0, at), TRIAL_PROMOTED, rung, resource);
      assertThat(closure.getReleasedCheckpoints()).as(closure.getReason())
          .isNotEmpty()
          .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(entered.stream().filter(t -> !promoted.contains(t)).toList());
      assertThat(trialsWith(events.subList(at, events.size()), TRIAL_PROMOTED, rung, resource)).isEmpty();
      assertThat(events.indexOf(harness.events(STUDY_COMPLETED).get(0))).isGreaterThan(at);
    }
  }

  @Test
  void multiObjectiveAshaClosesItsRungsToo() {
    harness.create("s1", SchedulerHarness.spec().setScheduler(SchedulerKind.MO_ASHA).setMaxResource(9)
        .setMaxTrials(18).setSchedulerOptions(SchedulerOptions.newBuilder().setObjectives(List.of(
            ObjectiveSpec.newBuilder().setMetric("loss").setMode(Mode.MIN).build(),
            ObjectiveSpec.newBuilder().setMetric("size").setMode(Mode.MIN).build())).build())
        .build());

    harness.runToCompletionWith(job -> Map.of("loss", objective(job),
        "size", ((Number) job.getParams().get("x")).doubleValue()));

    final List<StudyEvent> events = harness.events(null);
    final StudyEvent rung0 = harness.events(CHECKPOINTS_RELEASED).stream()
        .filter(e -> e.getReason().startsWith("rung 0 is closed")).findFirst().orElseThrow();
    final int at = events.indexOf(rung0);
    final Set<String> entered = trialsWith(events.subList(0, at), RUNG_RESULT, 0);
    final Set<String> promoted = trialsWith(events.subList(0, at), TRIAL_PROMOTED, 0);
    assertThat(entered).hasSize(18);
    assertThat(rung0.getReleasedCheckpoints())
        .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(entered.stream().filter(t -> !promoted.contains(t)).toList());
    assertThat(trialsWith(events.subList(at, events.size()), TRIAL_PROMOTED, 0)).isEmpty();
  }

  @Test
  void aRungIsNotClosedWhileTheTrialBudgetIsOpen() {
    // one slot: after three results the best goes on to rung 1, so no job runs toward rung 0 and nothing
    // in it is promotable, yet six more trials will enter it
    harness.create("s1", SchedulerHarness.spec().setMaxResource(9).setMaxTrials(9).setParallelism(1).build());
    for (final double loss : new double[] {0.5, 0.9, 0.8}) {
      harness.complete(harness.takeJobs().get(0), loss);
    }

    assertThat(harness.takeJobs()).singleElement().satisfies(job -> assertThat(job.getRung()).isEqualTo(1));
    assertThat(harness.events(CHECKPOINTS_RELEASED)).isEmpty();
  }

  @Test
  void aTrialReleasedWhenItsRungClosedRestartsFromZeroIfARaisedBudgetPromotesItLater() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(9).setMaxTrials(3).setParallelism(1).build());
    harness.complete(harness.takeJobs().get(0), 0.5);
    harness.complete(harness.takeJobs().get(0), 0.9);
    harness.complete(harness.takeJobs().get(0), 0.8);
    final TrialJob promoted = harness.takeJobs().get(0);
    assertThat(promoted.getTrialId()).isEqualTo("s1-t1");
    assertThat(harness.events(CHECKPOINTS_RELEASED)).singleElement()
        .satisfies(e -> assertThat(e.getReleasedCheckpoints()).containsExactlyInAnyOrder("s1-t2", "s1-t3"));

    harness.extend("s1", 6, null);
    harness.complete(promoted, 0.4);
    for (int i = 0; i < 3; i++) {
      final TrialJob next = harness.takeJobs().get(0);
      assertThat(next.getRung()).isZero();
      harness.complete(next, 2.0);
    }

    final TrialJob again = harness.takeJobs().get(0);
    assertThat(again.getTrialId()).isEqualTo("s1-t3");
    assertThat(again.getRung()).isEqualTo(1);
    assertThat(again.getCheckpointIn()).isNull();
    assertThat(again.getResourceFrom()).isZero();
    assertThat(harness.events(TRIAL_PROMOTED)).last()
        .satisfies(e -> assertThat(e.getReason()).contains("no checkpoint, so it restarts from 0"));
  }

  private static Set<String> trialsWith(
      final List<StudyEvent> events, final EventType type, final int rung, final long resource) {
    return events.stream().filter(e -> e.getType() == type && e.getRung() != null && e.getRung() == rung
            && e.getResource() != null && e.getResource() == resource)
        .map(StudyEvent::getTrialId).collect(Collectors.toSet());
  }

  private static Set<String> trialsWith(final List<StudyEvent> events, final EventType type, final int rung) {
    return events.stream().filter(e -> e.getType() == type && e.getRung() != null && e.getRung() == rung)
        .map(StudyEvent::getTrialId).collect(Collectors.toSet());
  }

  @Test
  void theStatusTopicGetsEachStudysAcceptanceThenItsEndKeyedByStudy() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setMaxTrials(2).build());
    harness.takeJobs().forEach(job -> harness.complete(job, 0.5));
    harness.create("s2", SchedulerHarness.spec().build());
    harness.stop("s2");

    assertThat(harness.takeStatus()).extracting(kv -> kv.key + ":" + kv.value.getType() + ":" + kv.value.getStatus())
        .containsExactly("s1:STUDY_ACCEPTED:null", "s1:STUDY_COMPLETED:COMPLETED", "s2:STUDY_ACCEPTED:null",
            "s2:STUDY_COMPLETED:STOPPED");
  }

  @Test
  void aStoppedStudyReleasesCheckpointsToo() {
    harness.create("s1", SchedulerHarness.spec().build());
    harness.takeJobs();

    harness.stop("s1");

    assertThat(harness.events(CHECKPOINTS_RELEASED)).singleElement().satisfies(e -> {
      assertThat(e.getReleasedCheckpoints()).containsExactly("s1-t1", "s1-t2", "s1-t3", "s1-t4");
      assertThat(e.getKeptCheckpoint()).isNull();
    });
  }

  @Test
  void aStudyThatKeepsCheckpointsReleasesNone() {
    harness.create("s1", SchedulerHarness.spec().setMaxResource(9).setMaxTrials(9).setKeepCheckpoints(true).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    assertThat(harness.events(STUDY_COMPLETED)).hasSize(1);
    assertThat(harness.events(CHECKPOINTS_RELEASED)).isEmpty();
  }

  @Test
  void aLargeStudyReleasesItsCheckpointsInBoundedEvents() {
    final int trials = io.kasha.study.StudyEngine.RELEASED_PER_EVENT + 10;
    harness.create("s1", SchedulerHarness.spec().setMaxResource(1).setMaxTrials(trials).setParallelism(50).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    assertThat(harness.events(CHECKPOINTS_RELEASED)).hasSize(2)
        .flatMap(StudyEvent::getReleasedCheckpoints).hasSize(trials).doesNotHaveDuplicates();
  }

  @Test
  void aTrialStoppedByAStoppingRuleIsReleasedAtOnceUnlessItIsTheBest() {
    harness.create("s1", SchedulerHarness.spec().setScheduler(SchedulerKind.ASHA_STOPPING).setParallelism(1)
        .setMaxTrials(30).build());

    harness.runToCompletion(StudyLifecycleTest::objective, jobs -> jobs);

    final List<StudyEvent> events = harness.events(null);
    final List<StudyEvent> stopped = harness.events(TRIAL_STOPPED);
    assertThat(stopped).isNotEmpty();
    for (final StudyEvent stop : stopped) {
      final int at = events.indexOf(stop);
      final boolean bestThen = events.subList(0, at + 2).stream()
          .filter(e -> e.getType() == BEST_IMPROVED).reduce((a, b) -> b)
          .map(best -> best.getTrialId().equals(stop.getTrialId())).orElse(false);
      final boolean releasedNow = events.subList(at, events.size()).stream()
          .filter(e -> e.getType() == CHECKPOINTS_RELEASED)
          .anyMatch(e -> e.getReleasedCheckpoints().equals(List.of(stop.getTrialId())));
      assertThat(releasedNow).as("release of %s", stop.getTrialId()).isEqualTo(!bestThen);
    }
  }
}
