package io.kasha.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.cli.local.EmbeddedBroker;
import io.kasha.runner.ShareGroupSettings;
import io.kasha.runner.TrialRunner;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kasha bench handoff}: Kafka's share-group hand-off alone, with no scheduler and no runner
 * logic, on the same kind of broker as {@code kasha bench pipeline}. It is the floor under the
 * pipeline's cost: every result of a Kasha study needs one job handed to a runner through the share
 * group and one record written back, and this measures how many of those this machine can do at all.
 *
 * <p>A fixed number of records circulate: each of the consumers polls with the runner's settings
 * ({@code explicit} acknowledgement, {@code record_limit} acquisition, {@code max.poll.records} as
 * given), and for each record it takes it writes the next one with an idempotent {@code acks=all}
 * producer, as a runner writes its report, then ACCEPTs it, the acknowledgement going with its next
 * poll. Measured in a window after a warm-up: hand-offs per second, the time from a record's send to
 * its delivery to a consumer (p50, p99), and the CPU by part.
 *
 * <p>Longer than the project's other classes on purpose: the options, the circulation of records and
 * the window's figures are one procedure over the run's state, read best in order; the CPU split is
 * apart ({@link CpuByPart}).
 */
@Command(name = "handoff", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark Kafka's share-group hand-off alone: the floor under the pipeline's cost.",
        "",
        "Records circulate between share consumers set up as the runner's slots (explicit acknowledgement, "
            + "record_limit, max.poll.records) and one idempotent producer: each record taken is acknowledged "
            + "and replaced by a new one. No scheduler, no runner logic. Prints hand-offs per second, "
            + "send-to-delivery latency (p50, p99) and CPU by part for each --records-per-poll; progress on stderr. "
          + "With --transaction-ms the records are written in transactions, as the scheduler writes jobs. "
          + "The warm-up starts once the first record is delivered."})
public final class HandoffBenchCommand implements Callable<Integer> {

  static final String CONSUMERS = "consumers";
  static final String PRODUCER = "producer";
  static final String BROKER = "broker";
  static final String BENCHMARK = "benchmark";

  private static final String THREAD_PREFIX = "kasha-handoff-";
  private static final String PRODUCER_ID = "kasha-handoff-producer";
  private static final long START_TIMEOUT_SECONDS = 120;

  @Option(names = "--consumers", defaultValue = "32", paramLabel = "N",
      description = "Share consumers, one thread each, as a runner's slots (default: ${DEFAULT-VALUE}, the slots "
          + "of kasha bench pipeline).")
  int consumers;

  @Option(names = "--records-per-poll", defaultValue = "1,32", split = ",", paramLabel = "K",
      description = "max.poll.records of each run (default: ${DEFAULT-VALUE}); 1 is what a runner's slot uses.")
  List<Integer> recordsPerPoll;

  @Option(names = "--in-flight", paramLabel = "M",
      description = "Records circulating (default: consumers x records per poll).")
  Integer inFlight;

  @Option(names = "--partitions", defaultValue = "4", paramLabel = "N",
      description = "Partitions of the topic (default: ${DEFAULT-VALUE}, as kasha bench pipeline).")
  int partitions;

  @Option(names = "--warmup", defaultValue = "20", paramLabel = "S",
      description = "Seconds of load before each window (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
      description = "Length of each measured window (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--transaction-ms", paramLabel = "MS",
      description = "Write the records in transactions committed every MS milliseconds, as the scheduler writes "
          + "jobs every commit.interval.ms (default: no transactions).")
  Long transactionMs;

  @Option(names = "--poll-ms", paramLabel = "MS",
      description = "Timeout of each consumer's poll (default: the runner's slot poll, 500). With --transaction-ms, "
          + "a fetch that brings only a commit marker leaves the poll empty until this timeout.")
  Long pollMs;

  @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
      description = "Kafka cluster to use (default: an embedded broker in a temporary directory).")
  String bootstrapServers;

  @Option(names = "--json", description = "Print one JSON object (the summary goes to stderr).")
  boolean json;

  @Spec
  CommandSpec spec;

  private PrintWriter progress;

  @Override
  public Integer call() throws Exception {
    final PrintWriter out = spec.commandLine().getOut();
    progress = spec.commandLine().getErr();
    final List<String> problems = new ArrayList<>();
    if (consumers < 1) {
      problems.add("--consumers must be at least 1, got " + consumers);
    }
    if (partitions < 1) {
      problems.add("--partitions must be at least 1, got " + partitions);
    }
    if (recordsPerPoll.stream().anyMatch(k -> k < 1)) {
      problems.add("--records-per-poll must all be at least 1, got " + recordsPerPoll);
    }
    if (inFlight != null && inFlight < 1) {
      problems.add("--in-flight must be at least 1, got " + inFlight);
    }
    if (transactionMs != null && transactionMs < 1) {
      problems.add("--transaction-ms must be at least 1, got " + transactionMs);
    }
    if (pollMs != null && pollMs < 1) {
      problems.add("--poll-ms must be at least 1, got " + pollMs);
    }
    if (!(seconds > 0) || !(warmup >= 0)) {
      problems.add("--seconds must be positive and --warmup not negative, got " + seconds + " and " + warmup);
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> progress.println("kasha: " + problem));
      progress.flush();
      return 2;
    }
    final Path work = Files.createTempDirectory("kasha-bench-handoff-");
    final List<Map<String, Object>> runs = new ArrayList<>();
    EmbeddedBroker broker = null;
    try {
      String bootstrap = bootstrapServers;
      if (bootstrap == null) {
        progress.println("bench: starting an embedded broker in " + work);
        progress.flush();
        broker = EmbeddedBroker.start(work, Map.of());
        bootstrap = broker.bootstrapServers();
      }
      final String prefix = "kasha-handoff-" + Long.toString(System.currentTimeMillis(), 36) + "-";
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        for (final int k : recordsPerPoll) {
          final String name = prefix + k;
          admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all()
              .get(60, TimeUnit.SECONDS);
          ShareGroupSettings.ensure(admin, name);
          final Map<String, Object> run = runOnce(bootstrap, name, k, inFlight != null ? inFlight : consumers * k);
          final PrintWriter summaries = json ? progress : out;
          summaries.print(summary(run));
          summaries.flush();
          runs.add(run);
        }
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      PipelineBenchCommand.deleteQuietly(work);
    }
    final Map<String, Object> result = new LinkedHashMap<>();
    result.put("broker", bootstrapServers == null ? "embedded" : bootstrapServers);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("runs", runs);
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(result));
      out.flush();
    }
    return 0;
  }

  /** One window with {@code k} records per poll: its figures, settings included. */
  private Map<String, Object> runOnce(final String bootstrap, final String topic, final int k, final int records)
      throws Exception {
    final LongAdder handoffs = new LongAdder();
    final Recorder latencyMicros = new Recorder(3);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final List<ShareConsumer<byte[], byte[]>> clients = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    try (Writer producer = new Writer(bootstrap, topic, transactionMs)) {
      for (int i = 0; i < consumers; i++) {
        final ShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(consumerProps(bootstrap, topic, k, i),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        clients.add(consumer);
        final Thread thread = new Thread(() -> {
          try {
            consume(consumer, topic, pollTimeout(), producer, handoffs, latencyMicros);
          } catch (WakeupException stopped) {
            // closing
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          }
        }, THREAD_PREFIX + "consumer-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      for (int i = 0; i < records; i++) {
        producer.send();
      }
      awaitFirstHandoff(handoffs, failure, k);
      final long begin = System.nanoTime();
      final long windowStart = begin + (long) (warmup * 1e9);
      final long windowEnd = windowStart + (long) (seconds * 1e9);
      long lastCount = handoffs.sum();
      long lastTick = begin;
      CpuByPart cpu = null;
      long startCount = 0;
      long startCommits = 0;
      long startCpu = 0;
      final Histogram window = new Histogram(3);
      while (true) {
        final long next = Math.min(lastTick + 1_000_000_000L, cpu == null ? windowStart : windowEnd);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
        if (failure.get() != null) {
          throw new IllegalStateException("a consumer failed: " + failure.get(), failure.get());
        }
        final long now = System.nanoTime();
        // commits are read on both sides of the hand-offs, so that the window's count of commits covers
        // every commit that released a record it counts
        final long commitsBefore = producer.commits();
        final long count = handoffs.sum();
        final long commitsAfter = producer.commits();
        final Histogram interval = latencyMicros.getIntervalHistogram();
        if (cpu != null) {
          window.add(interval);
        }
        progress.printf(Locale.ROOT, "bench: records per poll %d, %5.1f s %-8s hand-offs/s %,8.0f%n", k,
            (now - begin) / 1e9, cpu == null ? "warm-up" : "window", (count - lastCount) / ((now - lastTick) / 1e9));
        progress.flush();
        lastCount = count;
        lastTick = now;
        if (cpu == null && now >= windowStart) {
          cpu = new CpuByPart(List.of(CONSUMERS, PRODUCER, BROKER, BENCHMARK), HandoffBenchCommand::partOf);
          startCount = count;
          startCommits = commitsBefore;
          startCpu = PipelineBenchCommand.processCpuNanos();
        } else if (cpu != null && now >= windowEnd) {
          final double elapsed = (now - windowStart) / 1e9;
          final double processCores = (PipelineBenchCommand.processCpuNanos() - startCpu) / 1e9 / elapsed;
          final Map<String, Double> byPart = cpu.close(elapsed, processCores * elapsed);
          return result(k, records, count - startCount, commitsAfter - startCommits, elapsed, window, processCores,
              byPart);
        }
      }
    } finally {
      clients.forEach(ShareConsumer::wakeup);
      for (final Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
      clients.forEach(consumer -> consumer.close(Duration.ofSeconds(5)));
    }
  }

  /** The consumers join the share group and get their assignment first: the warm-up starts once records flow. */
  private void awaitFirstHandoff(final LongAdder handoffs, final AtomicReference<Throwable> failure, final int k)
      throws InterruptedException {
    final long begin = System.nanoTime();
    long nextLine = begin + 1_000_000_000L;
    while (handoffs.sum() == 0) {
      if (failure.get() != null) {
        throw new IllegalStateException("a consumer failed: " + failure.get(), failure.get());
      }
      if (System.nanoTime() - begin > TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS)) {
        throw new IllegalStateException("no record delivered within " + START_TIMEOUT_SECONDS + " s");
      }
      if (System.nanoTime() >= nextLine) {
        progress.printf(Locale.ROOT, "bench: records per poll %d, %5.1f s waiting for the consumers to join%n", k,
            (System.nanoTime() - begin) / 1e9);
        progress.flush();
        nextLine += 1_000_000_000L;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** One consumer's loop: take, send the next record, ACCEPT (sent with the next poll). */
  private static void consume(final ShareConsumer<byte[], byte[]> consumer, final String topic,
      final Duration pollTimeout, final Writer producer, final LongAdder handoffs, final Recorder latencyMicros) {
    consumer.subscribe(List.of(topic));
    while (!Thread.currentThread().isInterrupted()) {
      for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
        final long sent = ByteBuffer.wrap(record.value()).getLong();
        latencyMicros.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
        producer.send();
        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
        handoffs.increment();
      }
    }
  }

  private Duration pollTimeout() {
    return pollMs != null ? Duration.ofMillis(pollMs) : TrialRunner.SLOT_POLL_TIMEOUT;
  }

  private Map<String, Object> result(final int k, final int records, final long handoffs, final long commits,
      final double elapsed, final Histogram latency, final double processCores, final Map<String, Double> byPart) {
    final double perSecond = handoffs / elapsed;
    final Map<String, Object> run = new LinkedHashMap<>();
    run.put("recordsPerPoll", k);
    run.put("consumers", consumers);
    run.put("inFlight", records);
    run.put("partitions", partitions);
    run.put("transactionMs", transactionMs);
    run.put("pollMs", pollTimeout().toMillis());
    run.put("handoffs", handoffs);
    run.put("commits", transactionMs == null ? null : commits);
    run.put("handoffsPerSecond", round(perSecond));
    run.put("latencyP50Ms", latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50) / 1000.0);
    run.put("latencyP99Ms", latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0);
    run.put("processCores", round(processCores));
    final Map<String, Object> cores = new LinkedHashMap<>();
    byPart.forEach((part, value) -> cores.put(part, round(value)));
    run.put("coresByPart", cores);
    run.put("cpuMsPerHandoff", perSecond > 0 ? Math.round(1e6 * processCores / perSecond) / 1000.0 : null);
    run.put("seconds", seconds);
    run.put("warmupSeconds", warmup);
    return run;
  }

  private static String summary(final Map<String, Object> run) {
    final double perSecond = (Double) run.get("handoffsPerSecond");
    final double cores = (Double) run.get("processCores");
    final int available = Runtime.getRuntime().availableProcessors();
    final StringBuilder parts = new StringBuilder();
    ((Map<?, ?>) run.get("coresByPart")).forEach((part, value) -> parts.append(parts.isEmpty() ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s %.2f", part, (Double) value)));
    return String.format(Locale.ROOT, """
        Share-group hand-off: %d consumers, max.poll.records %d, %d records in flight, %d partitions, %s, \
        poll timeout %d ms
          hand-offs/s           %,.0f
          send -> delivery      p50 %.1f ms, p99 %.1f ms
          CPU                   %.2f cores, %.3f ms per hand-off: %d cores cap this at about %,.0f/s
          CPU by part           %s
        """, run.get("consumers"), run.get("recordsPerPoll"), run.get("inFlight"), run.get("partitions"),
        run.get("transactionMs") == null ? "no transactions" : "a transaction committed every "
            + run.get("transactionMs") + " ms", run.get("pollMs"), perSecond,
        (Double) run.get("latencyP50Ms"), (Double) run.get("latencyP99Ms"), cores,
        perSecond > 0 ? 1000 * cores / perSecond : Double.NaN, available,
        cores > 0 ? perSecond * available / cores : Double.NaN, parts);
  }

  /** The part of the hand-off a thread belongs to, by its name. */
  static String partOf(final String threadName) {
    if (threadName.startsWith(THREAD_PREFIX + "consumer-") || threadName.equals("consumer_background_thread")) {
      return CONSUMERS;
    }
    if (threadName.endsWith("| " + PRODUCER_ID)) {
      return PRODUCER;
    }
    if (threadName.equals("main") || threadName.startsWith(THREAD_PREFIX)) {
      return BENCHMARK;
    }
    return BROKER;
  }

  private static Map<String, Object> consumerProps(final String bootstrap, final String group, final int k,
      final int index) {
    final Map<String, Object> props = new LinkedHashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, THREAD_PREFIX + "consumer-" + index);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, k);
    return props;
  }

  /**
   * The one producer of the loop, idempotent with {@code acks=all} as a runner's; with a transaction
   * interval, transactional too, its records committed every interval by a thread of its own, so that
   * consumers see them as runners see the scheduler's jobs. Sends hold a read lock, a commit the
   * write lock: no record is sent between a commit and the next transaction's start.
   */
  private static final class Writer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final ReentrantReadWriteLock transaction = new ReentrantReadWriteLock();
    private final Thread committer;
    private final LongAdder commits = new LongAdder();
    private volatile RuntimeException commitFailure;

    Writer(final String bootstrap, final String topic, final Long transactionMs) {
      this.topic = topic;
      final Map<String, Object> props = new LinkedHashMap<>();
      props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(CommonClientConfigs.CLIENT_ID_CONFIG, PRODUCER_ID);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      if (transactionMs != null) {
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
      }
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      if (transactionMs == null) {
        committer = null;
        return;
      }
      producer.initTransactions();
      producer.beginTransaction();
      committer = new Thread(() -> commitEvery(transactionMs), THREAD_PREFIX + "committer");
      committer.setDaemon(true);
      committer.start();
    }

    /** @throws IllegalStateException once a commit has failed: the loop cannot go on */
    void send() {
      if (commitFailure != null) {
        throw new IllegalStateException("a transaction commit failed: " + commitFailure, commitFailure);
      }
      transaction.readLock().lock();
      try {
        producer.send(new ProducerRecord<>(topic, ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array()));
      } finally {
        transaction.readLock().unlock();
      }
    }

    /** Commits begun so far, each counted before it makes its records visible. */
    long commits() {
      return commits.sum();
    }

    private void commitEvery(final long millis) {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          return;
        }
        transaction.writeLock().lock();
        try {
          commits.increment();
          producer.commitTransaction();
          producer.beginTransaction();
        } catch (org.apache.kafka.common.KafkaException e) {
          commitFailure = e;
          return;
        } finally {
          transaction.writeLock().unlock();
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (committer != null) {
        committer.interrupt();
        committer.join(TimeUnit.SECONDS.toMillis(30));
      }
      producer.close(Duration.ofSeconds(5));
    }
  }

  private static double round(final double value) {
    return Math.round(value * 100) / 100.0;
  }
}
