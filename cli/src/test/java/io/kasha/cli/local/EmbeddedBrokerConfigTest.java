package io.kasha.cli.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedBrokerConfigTest {

  private static final Path DIR = Path.of("/tmp/kasha-test-broker");

  @Test
  void singleNodeDefaults() {
    Map<String, String> c = EmbeddedBroker.serverConfig(DIR, 1111, 2222, Map.of());

    assertThat(c).containsEntry("process.roles", "broker,controller")
      .containsEntry("listeners", "PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222")
      .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:1111")
      .containsEntry("controller.quorum.voters", "1@127.0.0.1:2222")
      .containsEntry("log.dirs", DIR.resolve("kafka-logs").toString())
      .containsEntry("offsets.topic.replication.factor", "1")
      .containsEntry("transaction.state.log.replication.factor", "1")
      .containsEntry("transaction.state.log.min.isr", "1")
      .containsEntry("share.coordinator.state.topic.replication.factor", "1")
      .containsEntry("share.coordinator.state.topic.min.isr", "1")
      .containsEntry("group.initial.rebalance.delay.ms", "0")
      .containsEntry("auto.create.topics.enable", "false")
      .containsEntry("log.retention.ms", "-1")
      .containsEntry(EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "30000")
      .doesNotContainKey("group.share.min.record.lock.duration.ms");
  }

  @Test
  void overridesReplaceDefaultsButNotListeners() {
    Map<String, String> c = EmbeddedBroker.serverConfig(DIR, 1111, 2222, Map.of(
      "num.partitions", "6",
      "listeners", "PLAINTEXT://0.0.0.0:9092"));

    assertThat(c).containsEntry("num.partitions", "6")
      .containsEntry("listeners", "PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222");
  }

  @Test
  void aShortLockDurationLowersTheBrokerMinimum() {
    Map<String, String> c = EmbeddedBroker.serverConfig(DIR, 1, 2,
      Map.of(EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "2000"));

    assertThat(c).containsEntry(EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "2000")
      .containsEntry("group.share.min.record.lock.duration.ms", "2000");
  }

  @Test
  void aLongLockDurationRaisesTheBrokerMaximum() {
    Map<String, String> c = EmbeddedBroker.serverConfig(DIR, 1, 2,
      Map.of(EmbeddedBroker.SHARE_RECORD_LOCK_DURATION_MS, "600000"));

    assertThat(c).containsEntry("group.share.max.record.lock.duration.ms", "600000");
  }

  @Test
  void aFreePortIsReusedATakenOneIsReplaced() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      free = s.getLocalPort();
    }
    assertThat(EmbeddedBroker.reuseOrPickPort(free, -1)).isEqualTo(free);

    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = EmbeddedBroker.reuseOrPickPort(taken.getLocalPort(), -1);
      assertThat(port).isPositive().isNotEqualTo(taken.getLocalPort());
    }
    assertThat(EmbeddedBroker.reuseOrPickPort(0, -1)).isPositive();
  }

  @Test
  void theControllerNeverGetsTheBrokerPort() {
    int broker = EmbeddedBroker.reuseOrPickPort(0, -1);
    assertThat(EmbeddedBroker.reuseOrPickPort(broker, broker)).isNotEqualTo(broker);
  }
}
