package io.kasha.cli.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuByPartTest {

  private final CpuByPart cpu = new CpuByPart("bench-");

  @Test
  void threadsAreToldApartByTheNamesKafkaAndKashaGiveThem() {
    assertThat(cpu.partOf("kasha-bench-x1.scheduler-4f2e-StreamThread-1")).isEqualTo(CpuByPart.SCHEDULER);
    assertThat(cpu.partOf("kafka-producer-network-thread | kasha-bench-x1.scheduler-4f2e-StreamThread-1-producer"))
        .isEqualTo(CpuByPart.SCHEDULER);
    assertThat(cpu.partOf("kasha-bench-x1.scheduler-4f2e-StateUpdater-1")).isEqualTo(CpuByPart.SCHEDULER);
    assertThat(cpu.partOf("bench-0-slot-12")).isEqualTo(CpuByPart.RUNNERS);
    assertThat(cpu.partOf("bench-0-job-3")).isEqualTo(CpuByPart.RUNNERS);
    assertThat(cpu.partOf("kafka-producer-network-thread | bench-0-reports")).isEqualTo(CpuByPart.RUNNERS);
    assertThat(cpu.partOf("consumer_background_thread")).isEqualTo(CpuByPart.RUNNERS);
    assertThat(cpu.partOf("kasha-bench-runner-0")).isEqualTo(CpuByPart.RUNNERS);
    assertThat(cpu.partOf("kafka-admin-client-thread | kasha-bench-x1.scheduler-4f2e-admin"))
        .isEqualTo(CpuByPart.SCHEDULER);
    assertThat(cpu.partOf("kasha-bench-job-probe")).isEqualTo(CpuByPart.BENCHMARK);
    assertThat(cpu.partOf("kafka-producer-network-thread | kasha-bench-studies")).isEqualTo(CpuByPart.BENCHMARK);
    assertThat(cpu.partOf("main")).isEqualTo(CpuByPart.BENCHMARK);
    assertThat(cpu.partOf("data-plane-kafka-request-handler-1")).isEqualTo(CpuByPart.BROKER);
    assertThat(cpu.partOf("share-coordinator-event-processor-0")).isEqualTo(CpuByPart.BROKER);
  }

  @Test
  void theHandoffBenchmarkToldItsConsumersProducerAndBrokerApart() {
    assertThat(HandoffBenchCommand.partOf("kasha-handoff-consumer-3")).isEqualTo(HandoffBenchCommand.CONSUMERS);
    assertThat(HandoffBenchCommand.partOf("consumer_background_thread")).isEqualTo(HandoffBenchCommand.CONSUMERS);
    assertThat(HandoffBenchCommand.partOf("kafka-producer-network-thread | kasha-handoff-producer"))
        .isEqualTo(HandoffBenchCommand.PRODUCER);
    assertThat(HandoffBenchCommand.partOf("data-plane-kafka-request-handler-0")).isEqualTo(HandoffBenchCommand.BROKER);
    assertThat(HandoffBenchCommand.partOf("main")).isEqualTo(HandoffBenchCommand.BENCHMARK);
  }

  @Test
  void aBusyThreadsCpuIsCountedInItsPart() throws Exception {
    final CpuByPart window = new CpuByPart("bench-");
    final long start = System.nanoTime();
    final Thread busy = new Thread(() -> {
      double x = 0;
      while (System.nanoTime() - start < 300_000_000L) {
        x += Math.sqrt(x + 1);
      }
      if (x < 0) {
        System.out.println(x);
      }
    }, "bench-9-slot-0");
    busy.start();
    Thread.sleep(200);
    final Map<String, Double> cores = window.close(0.2, 10.0);
    busy.join();

    assertThat(cores).containsOnlyKeys("scheduler", "broker", "runners", "benchmark", "jvm");
    assertThat(cores.get("runners")).isPositive();
    assertThat(cores.get("scheduler")).isZero();
  }
}
