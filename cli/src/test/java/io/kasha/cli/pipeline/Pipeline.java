package io.kasha.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.cli.StudyCommands;
import io.kasha.cli.watch.EventLog;
import io.kasha.runner.EntrypointRegistry;
import io.kasha.runner.RunnerConfig;
import io.kasha.runner.TrialRunner;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.Topics;
import io.kasha.topology.SchedulerApp;
import io.kasha.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One isolated Kasha deployment on a shared broker, for a test: its own topic prefix, scheduler
 * application id and runner share group, so tests cannot see each other's records.
 */
final class Pipeline implements AutoCloseable {

  final String bootstrap;
  final Topics topics;
  final String name;
  final Path home;
  private final List<SchedulerApp> schedulers = new CopyOnWriteArrayList<>();
  private final List<TrialRunner> runners = new CopyOnWriteArrayList<>();

  Pipeline(final String bootstrap, final String name, final Path home) throws Exception {
    this(bootstrap, name, home, 2);
  }

  Pipeline(final String bootstrap, final String name, final Path home, final int partitions) throws Exception {
    this.bootstrap = bootstrap;
    this.name = name;
    this.home = home;
    this.topics = Topics.withPrefix(name + ".");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicSetup.ensure(admin, topics, partitions, (short) -1);
    }
  }

  static StudySpec.Builder spec() {
    return StudySpec.newBuilder()
        .setName("bowl")
        .setMetric("loss")
        .setMode(Mode.MIN)
        .setEntrypoint("test-bowl")
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setSeed(5)
        .setMinResource(1)
        .setMaxResource(9)
        .setEta(3)
        .setParallelism(4)
        .setMaxTrials(18);
  }

  static ParamSpec sleepMs(final long millis) {
    return ParamSpec.newBuilder().setName("sleep_ms").setType(ParamType.CATEGORICAL).setChoices(List.of(millis))
        .build();
  }

  /** A parameter that holds the trials' promoted segments until {@link BowlObjective#open} opens {@code name}. */
  static ParamSpec gate(final String name) {
    return ParamSpec.newBuilder().setName("gate").setType(ParamType.CATEGORICAL).setChoices(List.of(name)).build();
  }

  SchedulerApp startScheduler(final Path stateDir) {
    final SchedulerApp scheduler = new SchedulerApp(topics, SchedulerApp.config(bootstrap, name + "-scheduler",
        stateDir, Map.of()));
    scheduler.start();
    schedulers.add(scheduler);
    return scheduler;
  }

  TrialRunner startRunner(final int slots, final EntrypointRegistry registry) {
    return startRunner(slots, registry, new DirectoryCheckpointStore(home.resolve("checkpoints")));
  }

  TrialRunner startRunner(final int slots, final EntrypointRegistry registry, final CheckpointStore checkpoints) {
    final TrialRunner runner = new TrialRunner(RunnerConfig.builder(bootstrap, registry, checkpoints)
        .topics(topics).groupId(name + "-runners").slots(slots).runnerId(name + "-runner-" + runners.size())
        .build());
    final Thread thread = new Thread(runner::run, name + "-runner");
    thread.setDaemon(true);
    thread.start();
    runners.add(runner);
    return runner;
  }

  TrialRunner startRunner(final int slots) {
    return startRunner(slots, EntrypointRegistry.discover());
  }

  void submit(final String studyId, final StudySpec spec) throws Exception {
    StudyCommands.create(bootstrap, topics, studyId, spec);
  }

  /** The study's events from the start of the log, until the first one that {@code until} accepts. */
  List<StudyEvent> eventsUntil(final String studyId, final java.util.function.Predicate<StudyEvent> until,
      final Duration timeout) {
    final List<StudyEvent> events = new ArrayList<>();
    final long deadline = System.nanoTime() + timeout.toNanos();
    final java.util.concurrent.atomic.AtomicBoolean arrived = new java.util.concurrent.atomic.AtomicBoolean();
    try (EventLog log = new EventLog(bootstrap, topics).fromBeginning()) {
      log.read(studyId, true, event -> {
        events.add(event);
        arrived.set(until.test(event));
        return !arrived.get();
      }, () -> System.nanoTime() < deadline);
    }
    assertThat(arrived).as("the awaited event of %s within %s (got %s)", studyId, timeout, events).isTrue();
    return events;
  }

  List<StudyEvent> awaitEnd(final String studyId, final Duration timeout) {
    return eventsUntil(studyId, e -> e.getType() == EventType.STUDY_COMPLETED
        || e.getType() == EventType.STUDY_REJECTED, timeout);
  }

  static boolean running(final SchedulerApp scheduler) {
    return scheduler.state() == KafkaStreams.State.RUNNING || scheduler.state() == KafkaStreams.State.REBALANCING;
  }

  @Override
  public void close() throws Exception {
    for (final TrialRunner runner : runners) {
      runner.close();
    }
    for (final SchedulerApp scheduler : schedulers) {
      scheduler.close();
    }
  }
}
