package io.kasha.cli.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedBrokerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  @Test
  void committedRecordsSurviveARestartOnTheSamePorts() {
    Path dir = tmp.resolve("broker");
    int port;
    int controllerPort;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      port = broker.port();
      controllerPort = broker.controllerPort();
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      createTopic(broker, "jobs");
      produceCommitted(broker, "jobs", "tx-1", "first");
      assertThat(readCommitted(broker, "jobs", 1)).containsExactly("first");
    }

    try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      assertThat(broker.port()).isEqualTo(port);
      assertThat(broker.controllerPort()).isEqualTo(controllerPort);
      assertThat(readCommitted(broker, "jobs", 1)).containsExactly("first");
      produceCommitted(broker, "jobs", "tx-1", "second");
      assertThat(readCommitted(broker, "jobs", 2)).containsExactly("first", "second");
    }
  }

  @Test
  void startsOnOtherPortsWhenThePreviousOnesAreTaken() throws Exception {
    Path dir = tmp.resolve("broker");
    int port;
    int controllerPort;
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      port = broker.port();
      controllerPort = broker.controllerPort();
      createTopic(broker, "jobs");
      produceCommitted(broker, "jobs", "tx-1", "kept");
    }

    try (ServerSocket squatter = bind(port); ServerSocket controllerSquatter = bind(controllerPort);
      EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      assertThat(broker.port()).isNotIn(port, controllerPort);
      assertThat(broker.controllerPort()).isNotIn(port, controllerPort);
      assertThat(readCommitted(broker, "jobs", 1)).containsExactly("kept");
    }
  }

  @Test
  void retriesOnOtherPortsWhenAPortIsTakenBetweenTheCheckAndTheBind() throws Exception {
    // The first attempt fails to bind the broker port: the broker logs that at ERROR, as expected here.
    try (ServerSocket squatter = bind(0)) {
      AtomicInteger calls = new AtomicInteger();
      EmbeddedBroker.PortChooser racy = (wanted, avoid) ->
        calls.getAndIncrement() == 0 ? squatter.getLocalPort() : EmbeddedBroker.reuseOrPickPort(wanted, avoid);
      try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("broker"), Map.of(), racy)) {
        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
        assertThat(broker.port()).isNotEqualTo(squatter.getLocalPort());
        createTopic(broker, "jobs");
        produceCommitted(broker, "jobs", "tx-1", "after-retry");
        assertThat(readCommitted(broker, "jobs", 1)).containsExactly("after-retry");
      }
    }
  }

  @Test
  void startsOnTheGivenPortAndRefusesAPortInUse() throws Exception {
    Path dir = tmp.resolve("broker");
    int port;
    try (ServerSocket free = bind(0)) {
      port = free.getLocalPort();
    }
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir, Map.of(), port)) {
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      createTopic(broker, "jobs");
      produceCommitted(broker, "jobs", "tx-1", "on-the-given-port");
    }

    try (ServerSocket squatter = bind(port)) {
      assertThatThrownBy(() -> EmbeddedBroker.start(dir, Map.of(), port))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot listen on port " + port);
    }
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir, Map.of(), port)) {
      assertThat(readCommitted(broker, "jobs", 1)).containsExactly("on-the-given-port");
    }
  }

  @Test
  void aSecondBrokerOnTheSameDirectoryIsRefused() {
    Path dir = tmp.resolve("broker");
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      assertThatThrownBy(() -> EmbeddedBroker.start(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another Kasha broker is running on");

      createTopic(broker, "still-works");
      produceCommitted(broker, "still-works", "tx-1", "ok");
      assertThat(readCommitted(broker, "still-works", 1)).containsExactly("ok");
    }
  }

  @Test
  void shareConsumerReceivesAndAcknowledgesATransactionalRecord() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("broker"));
      Admin admin = admin(broker)) {
      FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
      assertThat(features.finalizedFeatures().get("share.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);

      createTopic(broker, "trial-jobs");
      configureShareGroup(admin, "runners");
      produceCommitted(broker, "trial-jobs", "scheduler-tx", "job-1");

      try (KafkaShareConsumer<String, String> consumer = shareConsumer(broker, "runners")) {
        consumer.subscribe(List.of("trial-jobs"));
        List<ConsumerRecord<String, String>> received = pollShare(consumer, 1);
        assertThat(received).extracting(ConsumerRecord::value).containsExactly("job-1");
        assertThat(received.get(0).deliveryCount()).contains((short) 1);

        consumer.acknowledge(received.get(0), AcknowledgeType.ACCEPT);
        Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(WAIT);
        assertThat(result).isNotEmpty();
        assertThat(result.values()).allSatisfy(error -> assertThat(error).isEmpty());
      }
    }
  }

  @Test
  void anUnacknowledgedRecordIsOfferedAgainAfterTheConfiguredLockDuration() throws Exception {
    Map<String, String> overrides = Map.of(EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "3000");
    try (EmbeddedBroker broker = EmbeddedBroker.start(tmp.resolve("broker"), overrides);
      Admin admin = admin(broker)) {
      createTopic(broker, "trial-jobs");
      configureShareGroup(admin, "runners");
      produceCommitted(broker, "trial-jobs", "scheduler-tx", "job-1");

      try (KafkaShareConsumer<String, String> dying = shareConsumer(broker, "runners");
        KafkaShareConsumer<String, String> other = shareConsumer(broker, "runners")) {
        dying.subscribe(List.of("trial-jobs"));
        assertThat(pollShare(dying, 1)).extracting(ConsumerRecord::value).containsExactly("job-1");
        // The broker locked the record for the configured 3 s, not its default 30 s.
        assertThat(dying.acquisitionLockTimeoutMs()).contains(3000);

        // The first consumer neither acknowledges nor polls again: the lock must run out.
        other.subscribe(List.of("trial-jobs"));
        List<ConsumerRecord<String, String>> again = pollShare(other, 1);
        assertThat(again).extracting(ConsumerRecord::value).containsExactly("job-1");
        // At least a second delivery; on a loaded machine a lock may run out once more before the poll returns.
        assertThat(again.get(0).deliveryCount()).hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo((short) 2));
        other.acknowledge(again.get(0), AcknowledgeType.ACCEPT);
        assertThat(other.commitSync(WAIT).values()).allSatisfy(error -> assertThat(error).isEmpty());
      }
    }
  }

  @Test
  void restartsOnTheDataOfAKilledProcess() throws Exception {
    Path dir = tmp.resolve("broker");
    Process child = startChild(dir, "survivors");
    List<String> output = new ArrayList<>();
    try {
      String ready = awaitReady(child, output);
      assertThat(ready).as("child output: %s", output).startsWith("READY 127.0.0.1:");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.exists(dir.resolve("kafka-logs").resolve(".kafka_cleanshutdown"))).isFalse();

    try (EmbeddedBroker broker = EmbeddedBroker.start(dir)) {
      // The killed transaction stays open until its producer id is reused: read_committed stops before it.
      assertThat(readCommitted(broker, "survivors", 1)).containsExactly(EmbeddedBrokerChild.COMMITTED);

      // A new producer with the same transactional id (as a restarted Streams task) aborts it.
      produceCommitted(broker, "survivors", EmbeddedBrokerChild.TRANSACTIONAL_ID, "after-restart");
      assertThat(readCommitted(broker, "survivors", 2))
        .containsExactly(EmbeddedBrokerChild.COMMITTED, "after-restart");
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static Admin admin(EmbeddedBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static void createTopic(EmbeddedBroker broker, String topic) {
    try (Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot create " + topic, e);
    }
  }

  private static void configureShareGroup(Admin admin, String group) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    Collection<AlterConfigOp> ops = List.of(
      new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
      new AlterConfigOp(new ConfigEntry("share.isolation.level", "read_committed"), AlterConfigOp.OpType.SET));
    admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void produceCommitted(EmbeddedBroker broker, String topic, String transactionalId, String... values) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
      ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, "key", value));
      }
      producer.commitTransaction();
    }
  }

  /**
   * Reads the topic from the beginning with read_committed until {@code expected} values have arrived,
   * then on to its last stable offset, so that whatever else read_committed sees is read too.
   */
  private static List<String> readCommitted(EmbeddedBroker broker, String topic, int expected) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
      ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      long stable = consumer.endOffsets(List.of(tp), WAIT).get(tp);
      while (consumer.position(tp, WAIT) < stable && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
      return values;
    }
  }

  private static KafkaShareConsumer<String, String> shareConsumer(EmbeddedBroker broker, String group) {
    return new KafkaShareConsumer<>(Map.of(
      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
      ConsumerConfig.GROUP_ID_CONFIG, group,
      "share.acknowledgement.mode", "explicit",
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
  }

  private static List<ConsumerRecord<String, String>> pollShare(KafkaShareConsumer<String, String> consumer, int expected) {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (received.size() < expected && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(received::add);
    }
    return received;
  }

  private static ServerSocket bind(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    return socket;
  }

  private Process startChild(Path dir, String topic) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath,
      EmbeddedBrokerChild.class.getName(), dir.toString(), topic);
    pb.redirectErrorStream(true);
    Process child = pb.start();
    child.getOutputStream().close();
    return child;
  }

  /** Reads the child's output until its READY line; keeps draining it afterwards so the child never blocks. */
  private static String awaitReady(Process child, List<String> output) throws Exception {
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("READY ")) {
            ready.complete(line);
          }
        }
        ready.complete("exited with " + child.waitFor());
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    return ready.get(2, TimeUnit.MINUTES);
  }
}
