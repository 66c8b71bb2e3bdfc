package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A real share consumer (it needs no broker to have metrics) bound to a registry. */
class ShareConsumerMetricsTest {

  private static KafkaShareConsumer<String, String> consumer(final String clientId) {
    return new KafkaShareConsumer<>(Map.of("bootstrap.servers", "127.0.0.1:1", "group.id", "g",
        "client.id", clientId), new StringDeserializer(), new StringDeserializer());
  }

  @Test
  void bindsTheConsumersNumericMetricsUnderMicrometersKafkaNamesAndRemovesThemOnClose() {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaShareConsumer<String, String> consumer = consumer("slot-0")) {
      final ShareConsumerMetrics metrics = new ShareConsumerMetrics(consumer);
      metrics.bindTo(registry);

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
  void twoConsumersOfOneRunnerGetTheSameNamesWithTheirOwnClientIds() {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaShareConsumer<String, String> first = consumer("slot-0");
         KafkaShareConsumer<String, String> second = consumer("slot-1");
         ShareConsumerMetrics a = new ShareConsumerMetrics(first);
         ShareConsumerMetrics b = new ShareConsumerMetrics(second)) {
      a.bindTo(registry);
      b.bindTo(registry);

      assertThat(a.boundNames()).isEqualTo(b.boundNames());
      assertThat(registry.getMeters()).map(Meter::getId).map(id -> id.getTag("client-id"))
          .containsOnly("slot-0", "slot-1");
    }
  }
}
