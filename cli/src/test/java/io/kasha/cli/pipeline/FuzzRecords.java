package io.kasha.cli.pipeline;

import io.kasha.schemas.AvroSerde;
import io.kasha.schemas.EventType;
import io.kasha.schemas.FailureKind;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.ReportKind;
import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudyEvent;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.TrialJob;
import io.kasha.schemas.TrialReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fuzz records for the scheduler's two input topics, as a plain byte[] producer writes them: random
 * bytes, truncated records, records of another schema, a corrupted single-object header or schema
 * fingerprint, a valid header before a random body, null keys and values, records near the broker's
 * largest, and schema-valid commands and reports that the scheduler must answer or ignore. Counts what
 * it wrote by kind, and keeps every schema-valid study it created, by id, with its spec.
 */
final class FuzzRecords {

  /** Schema-valid studies of the fuzz that a scheduler must answer, by id. */
  final Map<String, StudySpec> creates = new LinkedHashMap<>();
  /** Records written, by topic and kind. */
  final Map<String, Map<String, Integer>> kinds = new TreeMap<>();

  private static final AvroSerde<StudyCommand> COMMANDS = AvroSerde.of(StudyCommand.class);
  private static final AvroSerde<TrialReport> REPORTS = AvroSerde.of(TrialReport.class);
  private static final AvroSerde<StudyEvent> EVENTS = AvroSerde.of(StudyEvent.class);
  private static final AvroSerde<TrialJob> JOBS = AvroSerde.of(TrialJob.class);

  private final java.util.Set<byte[]> built = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final Random random;
  private final Pipeline pipeline;
  private final List<String> knownTrials;
  private final int largest;
  private int serial;

  /**
   * @param knownTrials trial ids of the studies running beside the fuzz, for reports with wrong job ids
   * @param largest the size of the largest fuzz records, under the broker's limit
   */
  FuzzRecords(final long seed, final Pipeline pipeline, final List<String> knownTrials, final int largest) {
    this.random = new Random(seed);
    this.pipeline = pipeline;
    this.knownTrials = knownTrials;
    this.largest = largest;
  }

  /** {@code count} records for the studies topic, in a random order. */
  List<ProducerRecord<byte[], byte[]>> studies(final int count) {
    final String topic = pipeline.topics.studies().name();
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    add(records, topic, "schema-valid create", 300, () -> built(create()));
    add(records, topic, "schema-valid stop or extend of an unknown study", 200, () -> built(COMMANDS.encode(
        StudyCommand.newBuilder().setStudyId("fz-unknown-" + serial++).setAction(random.nextBoolean()
            ? StudyAction.STOP : StudyAction.EXTEND).setMaxTrials(random.nextInt(100)).build())));
    add(records, topic, "oversized", 10, () -> random.nextBoolean() ? randomBytes(largest)
        : built(COMMANDS.encode(oversizedCreate())));
    addCorrupted(records, topic, count - records.size(), COMMANDS.encode(command("fz-base")),
        List.of(REPORTS.encode(report("fz-base", "fz-base-t1", "j")), EVENTS.encode(event())));
    java.util.Collections.shuffle(records, random);
    return records;
  }

  /** {@code count} records for the trial-reports topic, in a random order. */
  List<ProducerRecord<byte[], byte[]>> reports(final int count) {
    final String topic = pipeline.topics.trialReports().name();
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    add(records, topic, "schema-valid report of an unknown study", 600, () -> built(REPORTS.encode(
        report("fz-nobody-" + random.nextInt(1000), "fz-nobody-t1", "j"))));
    add(records, topic, "schema-valid report of a known trial with a wrong job id", 400, () -> {
      final String trial = knownTrials.get(random.nextInt(knownTrials.size()));
      return built(REPORTS.encode(report(trial.substring(0, trial.lastIndexOf("-t")), trial, trial + "-r0-a" + 9)));
    });
    add(records, topic, "oversized", 10, () -> built(REPORTS.encode(TrialReport.newBuilder(report("fz-big",
        "fz-big-t1", "j")).setMessage("m".repeat(largest)).build())));
    addCorrupted(records, topic, count - records.size(), REPORTS.encode(report("fz-base", "fz-base-t1", "j")),
        List.of(COMMANDS.encode(command("fz-base")), EVENTS.encode(event()), JOBS.encode(job())));
    java.util.Collections.shuffle(records, random);
    return records;
  }

  /** Records that must not decode, or decode to nothing the scheduler acts on. */
  private void addCorrupted(final List<ProducerRecord<byte[], byte[]>> records, final String topic, final int count,
      final byte[] valid, final List<byte[]> otherSchemas) {
    final int each = count / 7;
    add(records, topic, "random bytes", each, () -> randomBytes(random.nextInt(300)));
    add(records, topic, "truncated", each, () -> Arrays.copyOf(valid, random.nextInt(valid.length)));
    add(records, topic, "another schema", each, () -> otherSchemas.get(random.nextInt(otherSchemas.size())));
    add(records, topic, "corrupted header or fingerprint", each, () -> {
      final byte[] bytes = valid.clone();
      bytes[random.nextInt(10)] ^= (byte) (1 << random.nextInt(8));
      return bytes;
    });
    add(records, topic, "valid header, random body", each, () -> {
      final byte[] bytes = Arrays.copyOf(valid, 10 + random.nextInt(200));
      for (int i = 10; i < bytes.length; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
      return bytes;
    });
    add(records, topic, "valid header, a length past the record's end", 10, () -> hugeLength(valid));
    add(records, topic, "null value", each, () -> null);
    final int rest = count - 6 * each - 10;
    for (int i = 0; i < rest; i++) {
      records.add(new ProducerRecord<>(topic, null, randomBytes(random.nextInt(50))));
      count(topic, "null key");
    }
  }

  /** A valid header and then the length of a first string (or array) of up to 2 GiB, in a 15-byte record. */
  private byte[] hugeLength(final byte[] valid) {
    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(valid, 0, 10);
    long zigzag = (Integer.MAX_VALUE - 8L - random.nextInt(1 << 30)) << 1;
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
    return out.toByteArray();
  }

  private void add(final List<ProducerRecord<byte[], byte[]>> records, final String topic, final String kind,
      final int count, final java.util.function.Supplier<byte[]> value) {
    for (int i = 0; i < count; i++) {
      final byte[] bytes = value.get();
      records.add(new ProducerRecord<>(topic, key(bytes), bytes));
      count(topic, kind);
    }
  }

  private void count(final String topic, final String kind) {
    kinds.computeIfAbsent(topic, t -> new TreeMap<>()).merge(kind, 1, Integer::sum);
  }

  /**
   * The key of a record: mostly the study id it names (as Kasha's producers key them), else null or
   * random bytes. Only records built here are read back for their id: decoding a fuzzed one is what the
   * scheduler is tested on.
   */
  private byte[] key(final byte[] value) {
    if (value != null && built.remove(value) && random.nextInt(10) > 0) {
      return studyIdOf(value).getBytes(StandardCharsets.UTF_8);
    }
    return random.nextBoolean() ? null : randomBytes(random.nextInt(20));
  }

  private static String studyIdOf(final byte[] value) {
    try {
      return COMMANDS.decode(value).getStudyId();
    } catch (RuntimeException notACommand) {
      return REPORTS.decode(value).getStudyId();
    }
  }

  /** Marks a schema-valid record built here, whose study id may key it. */
  private byte[] built(final byte[] value) {
    built.add(value);
    return value;
  }

  private byte[] randomBytes(final int length) {
    final byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A schema-valid study, valid or not, over the limits or not, that the scheduler must answer once. */
  private byte[] create() {
    final String id = "fz-" + serial++;
    final StudySpec.Builder spec = Pipeline.spec().setMaxTrials(1 + random.nextInt(3)).setMaxResource(1
        + random.nextInt(3)).setParallelism(1 + random.nextInt(4)).setSeed(random.nextLong());
    if (random.nextBoolean()) {
      spec.setEntrypoint("fuzz-nowhere");
    }
    switch (random.nextInt(12)) {
      case 0 -> spec.setEta(random.nextInt(2) - 1);
      case 1 -> spec.setParallelism(1_000_000).setMaxTrials(Integer.MAX_VALUE);
      case 2 -> spec.setParams(List.of());
      case 3 -> spec.setMinResource(0).setLeaseMs(5);
      case 4 -> spec.setScheduler(SchedulerKind.SHA).setMaxResource(Long.MAX_VALUE);
      case 5 -> spec.setScheduler(SchedulerKind.MEDIAN_STOPPING).setMaxResource(1_000_000_000L);
      case 6 -> spec.setParams(List.of(ParamSpec.newBuilder().setName("x").setType(ParamType.FLOAT).setLow(1.0)
          .setHigh(0.0).setLog(true).build()));
      case 7 -> spec.setName("n".repeat(300)).setMetric("");
      default -> { }
    }
    final StudySpec built = spec.build();
    creates.put(id, built);
    return COMMANDS.encode(StudyCommand.newBuilder().setStudyId(id).setAction(StudyAction.CREATE).setSpec(built)
        .build());
  }

  /** A schema-valid create whose spec is nearly the broker's largest record: over the scheduler's spec-bytes. */
  private StudyCommand oversizedCreate() {
    final String id = "fz-big-" + serial++;
    final StudySpec spec = Pipeline.spec().setParams(List.of(ParamSpec.newBuilder().setName("c")
        .setType(ParamType.CATEGORICAL).setChoices(List.of("x".repeat(largest - 2_000))).build())).build();
    creates.put(id, spec);
    return StudyCommand.newBuilder().setStudyId(id).setAction(StudyAction.CREATE).setSpec(spec).build();
  }

  private static StudyCommand command(final String studyId) {
    return StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.STOP).setReason("fuzz").build();
  }

  private TrialReport report(final String studyId, final String trialId, final String jobId) {
    final ReportKind kind = ReportKind.values()[random.nextInt(ReportKind.values().length)];
    return TrialReport.newBuilder().setStudyId(studyId).setTrialId(trialId).setJobId(jobId).setKind(kind)
        .setResource(random.nextInt(10)).setMetrics(Map.of("loss", random.nextGaussian()))
        .setFailureKind(kind == ReportKind.SEGMENT_FAILED ? FailureKind.ERROR : null).build();
  }

  private static StudyEvent event() {
    return StudyEvent.newBuilder().setStudyId("fz-base").setSeq(1).setType(EventType.STUDY_COMPLETED).build();
  }

  private static TrialJob job() {
    return TrialJob.newBuilder().setJobId("j").setStudyId("fz-base").setTrialId("fz-base-t1").setEntrypoint("e")
        .setParams(Map.of()).setMetric("loss").setResourceFrom(0).setResourceTo(1).setRung(0).build();
  }
}
