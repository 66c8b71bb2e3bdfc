package io.kasha.bench.sim;

import io.kasha.cli.local.EmbeddedBroker;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.Topic;
import io.kasha.schemas.Topics;
import io.kasha.sim.SimulationConfig;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.topology.SchedulerApp;
import io.kasha.topology.TopicSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A real single-node KRaft broker and the real Kafka Streams scheduler, in this process, for
 * simulations whose decisions the scheduler makes ({@link KafkaScheduling}). One cluster serves
 * any number of simulated studies, one after another.
 *
 * <p>Each topic has one partition, so a study's events and jobs arrive in the scheduler's order.
 * The scheduler commits every few milliseconds rather than every 100 ms, since a simulated report
 * waits for its commit before virtual time moves on.
 */
final class SimulationCluster implements AutoCloseable {

  private static final Duration REACTION_TIMEOUT = Duration.ofSeconds(60);

  private final Path work;
  private final EmbeddedBroker broker;
  private final Topics topics;
  private final SchedulerApp scheduler;
  private final KafkaProducer<String, StudyCommand> commands;
  private final KafkaProducer<String, TrialReport> reports;
  private final KafkaConsumer<String, StudyEvent> events;
  private final KafkaConsumer<String, TrialJob> jobs;
  private final List<TrialJob> jobsAhead = new ArrayList<>();

  private SimulationCluster(final Path work) throws Exception {
    this.work = work;
    this.broker = EmbeddedBroker.start(work.resolve("broker"), Map.of());
    this.topics = Topics.withPrefix("kasha-sim.");
    final String bootstrap = broker.bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicSetup.ensure(admin, topics, 1, (short) 1);
    }
    this.scheduler = new SchedulerApp(topics, SchedulerApp.config(bootstrap, "kasha-sim-scheduler",
        work.resolve("scheduler-state"), Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 5)), SimulationConfig.LIMITS);
    this.commands = producer(bootstrap, topics.studies());
    this.reports = producer(bootstrap, topics.trialReports());
    this.events = consumer(bootstrap, topics.studyEvents());
    this.jobs = consumer(bootstrap, topics.trialJobs());
    scheduler.start();
    final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (scheduler.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || scheduler.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("the scheduler did not start: " + scheduler.state());
      }
      Thread.sleep(20);
    }
  }

  /** Starts a broker and a scheduler with their data in a new temporary directory. */
  static SimulationCluster start() throws Exception {
    return new SimulationCluster(Files.createTempDirectory("kasha-sim-"));
  }

  void submit(final String studyId, final StudyCommand command) {
    send(commands, topics.studies(), studyId, command);
  }

  void report(final String studyId, final TrialReport report) {
    send(reports, topics.trialReports(), studyId, report);
  }

  /**
   * The study's events from the last one read up to the first that {@code done} accepts, and on to
   * the end of what is committed: with one partition and one study deciding at a time, that is the
   * rest of the scheduler's transaction.
   */
  List<StudyEvent> awaitEvents(final String studyId, final Predicate<StudyEvent> done, final String what) {
    final List<StudyEvent> read = new ArrayList<>();
    final long deadline = System.nanoTime() + REACTION_TIMEOUT.toNanos();
    boolean seen = false;
    while (true) {
      for (final ConsumerRecord<String, StudyEvent> record : events.poll(Duration.ofMillis(2))) {
        if (record.value() != null && studyId.equals(record.value().getStudyId())) {
          read.add(record.value());
          seen |= done.test(record.value());
        }
      }
      if (seen && caughtUp(events)) {
        return read;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the scheduler did not answer " + what + " within " + REACTION_TIMEOUT
            + " (state " + scheduler.state() + ")");
      }
    }
  }

  /** The next {@code count} jobs of the study, in the order they were issued. */
  List<TrialJob> awaitJobs(final String studyId, final int count) {
    final long deadline = System.nanoTime() + REACTION_TIMEOUT.toNanos();
    while (jobsAhead.size() < count) {
      for (final ConsumerRecord<String, TrialJob> record : jobs.poll(Duration.ofMillis(2))) {
        if (record.value() != null && studyId.equals(record.value().getStudyId())) {
          jobsAhead.add(record.value());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the scheduler announced " + count + " jobs of " + studyId + " but "
            + jobsAhead.size() + " arrived within " + REACTION_TIMEOUT);
      }
    }
    final List<TrialJob> taken = new ArrayList<>(jobsAhead.subList(0, count));
    jobsAhead.subList(0, count).clear();
    return taken;
  }

  private static boolean caughtUp(final KafkaConsumer<?, ?> consumer) {
    final Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static <V> void send(final KafkaProducer<String, V> producer, final Topic<String, V> topic,
      final String key, final V value) {
    try {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic.name(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not send to " + topic.name() + ": " + e.getCause().getMessage(), e);
    }
  }

  private static <V> KafkaProducer<String, V> producer(final String bootstrap, final Topic<String, V> topic) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"),
        topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** A read-committed consumer of the topic's one partition, from its current end. */
  private static <V> KafkaConsumer<String, V> consumer(final String bootstrap, final Topic<String, V> topic) {
    final KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1),
        topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    final TopicPartition partition = new TopicPartition(topic.name(), 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition);
    return consumer;
  }

  @Override
  public void close() {
    try (commands; reports; events; jobs; broker) {
      scheduler.close();
    } finally {
      deleteQuietly(work);
    }
  }

  private static void deleteQuietly(final Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a temporary directory; the OS cleans up what is left
    }
  }
}
