package io.kasha.bench;

import io.kasha.method.RungSchedule;
import io.kasha.schemas.EventType;
import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.Topics;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import io.kasha.sim.SimulationConfig;
import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;
import io.kasha.study.StudyEngine;
import io.kasha.study.StudyState;
import io.kasha.study.StudyStores;
import io.kasha.study.Table;
import io.kasha.study.TrialState;
import io.kasha.topology.JsonSerde;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One ASHA study run by the scheduler's own {@link StudyEngine}, with simulated runners: the jobs the
 * engine puts out are in flight, and each {@link #report} completes one of them, picked at random, with
 * a seeded random metric. A report costs what it costs the scheduler: the engine's decisions and every
 * store read and write they make (without Kafka).
 *
 * <p>Every store of the engine lives in one ordered store (in the scheduler, RocksDB): the rungs under
 * the study's own prefix, the specs, studies and trials under prefixes no study id can start with
 * (byte 1 and a tag), encoded as the scheduler's state stores encode them. Only the jobs in flight
 * live on the heap. A trial's metric is its hidden quality (a hash of the seed and its number) plus
 * noise that shrinks with the rung, so that good trials tend to stay good, as in a real study.
 * Minimises. Not thread-safe.
 */
final class SimulatedStudy implements StudyEngine.Output {

  static final String STUDY_ID = "bench";
  private static final String METRIC = "loss";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final StudyEngine engine;
  private final RungSchedule schedule;
  private final long seed;
  private final SplittableRandom random;
  private final List<TrialJob> inFlight = new ArrayList<>();
  private long created;
  private long reports;

  /**
   * Creates the study and fills its {@code parallelism} slots, as the scheduler does when a study
   * starts.
   */
  SimulatedStudy(final OrderedStore store, final RungSchedule schedule, final int eta, final long trials,
      final int parallelism, final long seed) {
    this.schedule = schedule;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    final StudyStores stores = new StudyStores(
        table(store, 'c', Topics.defaults().studies().valueSerde()),
        table(store, 's', new JsonSerde<>(StudyState.class)),
        table(store, 't', new JsonSerde<>(TrialState.class)),
        store, new InMemoryOrderedStore());
    // the benchmark measures the engine at any size asked: the limits on a study are lifted, not the batch
    this.engine = new StudyEngine(stores, () -> 0L, this, SimulationConfig.LIMITS);
    engine.onCommand(STUDY_ID, StudyCommand.newBuilder().setStudyId(STUDY_ID).setAction(StudyAction.CREATE)
        .setSpec(spec(schedule, eta, trials, parallelism)).build());
  }

  /** True while a job is in flight or work put off by a call's batch is due: the study is not over. */
  boolean running() {
    return jobInFlight() || putOffWorkDue();
  }

  boolean jobInFlight() {
    return !inFlight.isEmpty();
  }

  /**
   * True if work put off beyond a call's batch of decisions is due (at the benchmark's clock, 0, leases
   * never fall due, so that is all the engine's time work here).
   */
  boolean putOffWorkDue() {
    return engine.timeWorkDue();
  }

  /**
   * What one call of the engine cost (its decisions and store access; the simulated runner's work is
   * not counted).
   *
   * @param wallNanos the wall time, which includes the time the thread waited for a core
   * @param cpuNanos the CPU time of the calling thread, which does not
   */
  record ReportCost(long wallNanos, long cpuNanos) {}

  /**
   * Completes one job in flight and makes the decisions that follow, and says what that cost.
   *
   * @throws IllegalStateException if no job is in flight
   */
  ReportCost report() {
    if (inFlight.isEmpty()) {
      throw new IllegalStateException("no job is in flight");
    }
    final int pick = random.nextInt(inFlight.size());
    final TrialJob job = inFlight.get(pick);
    inFlight.set(pick, inFlight.get(inFlight.size() - 1));
    inFlight.remove(inFlight.size() - 1);
    final TrialReport report = TrialReport.newBuilder()
        .setStudyId(job.getStudyId()).setTrialId(job.getTrialId()).setJobId(job.getJobId())
        .setKind(ReportKind.SEGMENT_COMPLETED).setResource(job.getResourceTo())
        .setMetrics(Map.of(METRIC, metric(job)))
        .build();
    reports++;
    return timed(() -> engine.onReport(report));
  }

  /**
   * Does the work put off to the next punctuation (slots beyond a call's batch, the checkpoints of
   * closed rungs and of the ended study), one batch of it, as a punctuation of the scheduler does, and
   * says what that cost.
   */
  ReportCost continuePutOffWork() {
    return timed(engine::onTime);
  }

  private static ReportCost timed(final Runnable call) {
    final long cpuStart = THREADS.getCurrentThreadCpuTime();
    final long start = System.nanoTime();
    call.run();
    final long nanos = System.nanoTime() - start;
    return new ReportCost(nanos, THREADS.getCurrentThreadCpuTime() - cpuStart);
  }

  long created() {
    return created;
  }

  long reports() {
    return reports;
  }

  @Override
  public void job(final TrialJob job) {
    inFlight.add(job);
  }

  @Override
  public void event(final StudyEvent event) {
    if (event.getType() == EventType.TRIAL_CREATED) {
      created++;
    } else if (event.getType() == EventType.STUDY_REJECTED) {
      throw new IllegalArgumentException("the engine rejected the benchmark's study: " + event.getProblems());
    }
  }

  /** The ASHA study the scheduler would run with these rungs, budget and slots. */
  private static StudySpec spec(final RungSchedule schedule, final int eta, final long trials, final int parallelism) {
    return StudySpec.newBuilder()
        .setName("bench")
        .setMetric(METRIC)
        .setMode(Mode.MIN)
        .setEntrypoint("bench")
        .setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(0.0).setHigh(1.0)
            .build()))
        .setMinResource(schedule.resource(0))
        .setMaxResource(schedule.resource(schedule.topRung()))
        .setEta(eta)
        .setParallelism(parallelism)
        .setMaxTrials((int) Math.min(Integer.MAX_VALUE, trials))
        .build();
  }

  private double metric(final TrialJob job) {
    final long trial = Long.parseLong(job.getTrialId().substring(STUDY_ID.length() + 2));
    final double quality = (mix(seed ^ mix(trial)) >>> 11) * 0x1.0p-53;
    final double noise = random.nextGaussian() * 0.1 * schedule.resource(0) / schedule.resource(job.getRung());
    return quality + noise;
  }

  /** A table of the engine kept in the ordered store under byte 1, {@code tag} and the key. */
  private static <V> Table<V> table(final OrderedStore store, final char tag, final Serde<V> serde) {
    // one serializer and deserializer per table, as a state store holds them
    final Serializer<V> serializer = serde.serializer();
    final Deserializer<V> deserializer = serde.deserializer();
    final Function<String, byte[]> key = id -> {
      final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
      final byte[] prefixed = new byte[bytes.length + 2];
      prefixed[0] = 1;
      prefixed[1] = (byte) tag;
      System.arraycopy(bytes, 0, prefixed, 2, bytes.length);
      return prefixed;
    };
    return Table.of(id -> {
      final byte[] bytes = store.get(key.apply(id));
      return bytes == null ? null : deserializer.deserialize(null, bytes);
    }, (id, value) -> store.put(key.apply(id), serializer.serialize(null, value)), id -> store.delete(key.apply(id)));
  }

  /** The SplitMix64 finaliser: a well-spread hash of a long. */
  private static long mix(final long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
