package io.kasha.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuByPartTest {

  private static final long BURN_NANOS = 20_000_000L;

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
    // given a window open while a runner's thread burns 20 ms of its own CPU, however long that takes,
    // and stays alive until the window closes
    final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled())
        .as("this JVM measures the CPU time of threads").isTrue();
    final CpuByPart window = new CpuByPart("bench-");
    final CountDownLatch burned = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final Thread busy = new Thread(() -> {
      final long start = threads.getCurrentThreadCpuTime();
      double x = 0;
      while (threads.getCurrentThreadCpuTime() - start < BURN_NANOS) {
        x += Math.sqrt(x + 1);
      }
      if (x < 0) {
        System.out.println(x);
      }
      burned.countDown();
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-9-slot-0");
    busy.setDaemon(true);
    busy.start();
    assertThat(burned.await(1, TimeUnit.MINUTES)).as("the busy thread burned its CPU").isTrue();

    // when the window closes over one second
    final Map<String, Double> cores = window.close(1.0, 10.0);
    closed.countDown();
    busy.join();

    // then
    assertThat(cores).containsOnlyKeys("scheduler", "broker", "runners", "benchmark", "jvm");
    assertThat(cores.get("runners")).isGreaterThanOrEqualTo(BURN_NANOS / 1e9);
    assertThat(cores.get("scheduler")).isZero();
  }
}
