package io.kasha.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static StudySpec spec() {
    return StudySpec.newBuilder()
        .setName("demo")
        .setMetric("val_loss")
        .setMode(Mode.MIN)
        .setEntrypoint("quickstart-mlp")
        .setParams(List.of(
            ParamSpec.newBuilder().setName("lr").setType(ParamType.FLOAT).setLow(1e-4).setHigh(1e-1)
                .setLog(true).build(),
            ParamSpec.newBuilder().setName("optimizer").setType(ParamType.CATEGORICAL)
                .setChoices(List.of("sgd", "adam", 3L, 0.5, true)).build(),
            ParamSpec.newBuilder().setName("momentum").setType(ParamType.FLOAT).setLow(0.5).setHigh(0.99)
                .setActiveWhen(ParamCondition.newBuilder().setParent("optimizer").setValues(List.of("sgd", 3L)).build())
                .build()))
        .setSampler(SamplerKind.TPE)
        .setSearchOptions(SearchOptions.newBuilder().setNStartupTrials(5).setGamma(0.2).build())
        .setPointsToEvaluate(List.of(Map.of("lr", 0.01, "optimizer", "adam")))
        .setMaxResource(27)
        .setMaxTrials(27)
        .build();
  }

  @Test
  void studyCommandRoundTripsWithEveryFieldIntact() {
    final AvroSerde<StudyCommand> serde = AvroSerde.of(StudyCommand.class);
    final StudyCommand command = StudyCommand.newBuilder()
        .setStudyId("s-1").setAction(StudyAction.CREATE).setSpec(spec()).build();

    final byte[] bytes = serde.serializer().serialize("t", command);
    final StudyCommand decoded = serde.deserializer().deserialize("t", bytes);

    assertThat(decoded).isEqualTo(command);
    assertThat(decoded.getSpec().getParams().get(1).getChoices()).containsExactly("sgd", "adam", 3L, 0.5, true);
  }

  @Test
  void bytesUseSingleObjectEncodingHeaderAndFingerprint() {
    final AvroSerde<TrialJob> serde = AvroSerde.of(TrialJob.class);
    final TrialJob job = TrialJob.newBuilder()
        .setJobId("j").setStudyId("s").setTrialId("t").setEntrypoint("e")
        .setParams(Map.of("lr", 0.1)).setMetric("m").setResourceFrom(0).setResourceTo(1).setRung(0).build();

    final byte[] bytes = serde.encode(job);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    final long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(TrialJob.getClassSchema());
    long written = 0;
    for (int i = 9; i >= 2; i--) {
      written = (written << 8) | (bytes[i] & 0xFF);
    }
    assertThat(written).isEqualTo(fingerprint);
  }

  @Test
  void olderWritersBytesDecodeWithNewFieldsAtTheirDefaults() throws IOException {
    final Schema old = readSchema("/history/TrialReport-v0.avsc");
    final byte[] oldBytes = encodeOldReport(old, "SEGMENT_COMPLETED");

    final TrialReport decoded = AvroSerde.withHistory(TrialReport.class, old).decode(oldBytes);

    assertThat(decoded.getTrialId()).isEqualTo("t-7");
    assertThat(decoded.getKind()).isEqualTo(ReportKind.SEGMENT_COMPLETED);
    assertThat(decoded.getMetrics()).containsEntry("val_loss", 0.25);
    assertThat(decoded.getRunnerId()).isNull();
    assertThat(decoded.getFailureKind()).isNull();
  }

  @Test
  void aStudyWrittenBeforeTheSearchMethodsDecodesAsRandomSearchWithNoWarmStartOrConditions() throws IOException {
    // given a CREATE command of the schema before sobol, tpe, evolution, pointsToEvaluate, searchOptions and activeWhen
    final Schema old = readSchema("/history/StudyCommand-v0.avsc");
    final Schema oldSpec = old.getField("spec").schema().getTypes().get(1);
    final Schema oldParam = oldSpec.getField("params").schema().getElementType();
    final GenericRecord param = new GenericRecordBuilder(oldParam)
        .set("name", "lr")
        .set("type", new GenericData.EnumSymbol(oldParam.getField("type").schema(), "FLOAT"))
        .set("low", 0.001).set("high", 0.1).build();
    final GenericRecord spec = new GenericRecordBuilder(oldSpec)
        .set("metric", "val_loss")
        .set("mode", new GenericData.EnumSymbol(oldSpec.getField("mode").schema(), "MIN"))
        .set("entrypoint", "quickstart-mlp")
        .set("params", List.of(param))
        .set("sampler", new GenericData.EnumSymbol(oldSpec.getField("sampler").schema(), "GRID"))
        .set("maxResource", 9L).set("maxTrials", 9).build();
    final GenericRecord command = new GenericRecordBuilder(old)
        .set("studyId", "s-old")
        .set("action", new GenericData.EnumSymbol(old.getField("action").schema(), "CREATE"))
        .set("spec", spec).build();
    final byte[] oldBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(command).array();

    // when
    final StudyCommand decoded = AvroSerde.withHistory(StudyCommand.class, old).decode(oldBytes);

    // then
    assertThat(decoded.getSpec().getSampler()).isEqualTo(SamplerKind.GRID);
    assertThat(decoded.getSpec().getPointsToEvaluate()).isEmpty();
    assertThat(decoded.getSpec().getSearchOptions()).isNull();
    assertThat(decoded.getSpec().getParams().get(0).getActiveWhen()).isNull();
    assertThat(decoded.getSpec().getParams().get(0).getHigh()).isEqualTo(0.1);
  }

  @Test
  void aStudyCommandWrittenBeforeSchedulersWereChosenReadsAsAnAshaStudy() throws IOException {
    final Schema old = readSchema("/history/StudyCommand-v1.avsc");
    final StudyCommand command = StudyCommand.newBuilder()
        .setStudyId("s-1").setAction(StudyAction.CREATE).setSpec(spec()).build();
    final byte[] oldBytes = new BinaryMessageEncoder<StudyCommand>(
        org.apache.avro.specific.SpecificData.get(), old).encode(command).array();

    final StudyCommand decoded = AvroSerde.withHistory(StudyCommand.class, old).decode(oldBytes);

    assertThat(decoded.getSpec().getScheduler()).isEqualTo(SchedulerKind.ASHA);
    assertThat(decoded.getSpec().getSchedulerOptions()).isNull();
    assertThat(decoded.getSpec().getParams()).isEqualTo(command.getSpec().getParams());
  }

  @Test
  void bytesOfAnUnknownSchemaAreRefusedWithASerializationException() throws IOException {
    final Schema old = readSchema("/history/TrialReport-v0.avsc");
    final byte[] oldBytes = encodeOldReport(old, "STARTED");

    assertThatThrownBy(() -> AvroSerde.of(TrialReport.class).decode(oldBytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("TrialReport");
  }

  @Test
  void garbageBytesRaiseSerializationException() {
    final AvroSerde<StudyEvent> serde = AvroSerde.of(StudyEvent.class);

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "not avro at all".getBytes()))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void aLengthPastTheRecordsEndIsRefusedBeforeAnythingIsAllocated() {
    // a valid header and fingerprint, then the length of the study id: 2 GiB less 9 bytes, in 15 bytes
    final AvroSerde<StudyCommand> serde = AvroSerde.of(StudyCommand.class);
    final byte[] header = java.util.Arrays.copyOf(serde.encode(StudyCommand.newBuilder().setStudyId("s")
        .setAction(StudyAction.STOP).build()), 10);
    final byte[] corrupt = java.util.Arrays.copyOf(header, 15);
    long zigzag = (Integer.MAX_VALUE - 8L) << 1;
    for (int i = 10; i < 15; i++, zigzag >>>= 7) {
      corrupt[i] = (byte) (i < 14 ? (zigzag & 0x7F) | 0x80 : zigzag);
    }

    assertThatThrownBy(() -> serde.decode(corrupt))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("String length 2147483639 exceeds maximum allowed");
  }

  @Test
  void topicNamesTakeThePrefix() {
    assertThat(Topics.withPrefix("ml.").names())
        .containsExactly("ml.studies", "ml.trial-reports", "ml.trial-jobs", "ml.study-events", "ml.study-status");
  }

  private static byte[] encodeOldReport(final Schema old, final String kind) throws IOException {
    final GenericRecord report = new GenericRecordBuilder(old)
        .set("studyId", "s-1")
        .set("trialId", "t-7")
        .set("jobId", "t-7-r0-a1")
        .set("kind", new GenericData.EnumSymbol(old.getField("kind").schema(), kind))
        .set("resource", 3L)
        .set("metrics", Map.of("val_loss", 0.25))
        .set("checkpointUri", "file:///ckpt/t-7/3")
        .build();
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(report).array();
  }

  private static Schema readSchema(final String resource) throws IOException {
    try (InputStream in = AvroSerdeTest.class.getResourceAsStream(resource)) {
      final ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return new Schema.Parser().parse(out.toString());
    }
  }
}
