package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A real share consumer (it needs no broker to have metrics) bound to a registry. */
class ShareConsumerMetricsTest {

  private static KafkaShareConsumer<String, String> consumer(final String clientId) {
    return new KafkaShareConsumer<>(Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "g",
        "client.id", clientId), new StringDeserializer(), new StringDeserializer());
  }

  /** The consumer's network thread adds metrics as it starts: refreshes until {@code name} is bound. */
  private static void awaitBound(final ShareConsumerMetrics metrics, final String name) throws InterruptedException {
    final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!metrics.boundNames().contains(name) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      metrics.refresh();
    }
  }

  @Test
  void bindsTheConsumersNumericMetricsUnderMicrometersKafkaNamesAndRemovesThemOnClose() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaShareConsumer<String, String> consumer = consumer("slot-0")) {
      final ShareConsumerMetrics metrics = new ShareConsumerMetrics(consumer);
      metrics.bindTo(registry);
      awaitBound(metrics, "kafka.consumer.connection.count");

      // its network metrics share the plain consumer's group, so they have the plain consumer's names
      assertThat(metrics.boundNames()).allMatch(name -> name.startsWith("kafka.consumer."))
          .anyMatch(name -> name.startsWith("kafka.consumer.share."))
          .contains("kafka.consumer.connection.count");
      assertThat(registry.getMeters()).allSatisfy(meter -> {
        assertThat(meter.getId().getTag("client-id")).isEqualTo("slot-0");
        assertThat(meter.getId().getTag("kafka.version")).isNotBlank();
      });
      assertThat(registry.getMeters()).map(meter -> meter.getId().getName()).doesNotContain("kafka.app.info.version");

      metrics.close();
      assertThat(registry.getMeters()).isEmpty();
    }
  }

  @Test
  void twoConsumersOfOneRunnerShareTheNamesWithTheirOwnClientIdsAndOneSetOfTagsPerName() throws Exception {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaShareConsumer<String, String> first = consumer("slot-0");
         KafkaShareConsumer<String, String> second = consumer("slot-1");
         ShareConsumerMetrics a = new ShareConsumerMetrics(first);
         ShareConsumerMetrics b = new ShareConsumerMetrics(second)) {
      a.bindTo(registry);
      b.bindTo(registry);
      awaitBound(a, "kafka.consumer.connection.count");
      awaitBound(b, "kafka.consumer.connection.count");

      assertThat(registry.find("kafka.consumer.connection.count").meters()).map(Meter::getId)
          .map(id -> id.getTag("client-id")).containsExactlyInAnyOrder("slot-0", "slot-1");
      // Prometheus needs one set of labels per name
      final Map<String, Set<Set<String>>> tagKeys = new HashMap<>();
      registry.getMeters().forEach(meter -> tagKeys.computeIfAbsent(meter.getId().getName(), name -> new HashSet<>())
          .add(meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet())));
      assertThat(tagKeys).allSatisfy((name, keys) -> assertThat(keys).as(name).hasSize(1));
    }
  }
}
