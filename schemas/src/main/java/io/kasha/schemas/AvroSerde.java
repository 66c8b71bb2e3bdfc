package io.kasha.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class, in Avro single-object encoding: the two marker bytes, the
 * 8-byte CRC-64-AVRO fingerprint of the writer's schema, then the Avro binary body.
 *
 * <p>Readers resolve older writers' schemas through a {@link SchemaStore}: every schema this build
 * has ever published for the class must be added to it (see {@link #withHistory}), so that bytes
 * written by an older producer decode into the current class with the new fields at their defaults.
 * A record that does not decode raises {@link SerializationException}, which Kafka Streams' and the
 * consumers' deserialization handlers log and skip.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final Class<T> type;

  private AvroSerde(final Class<T> type, final Schema schema, final SchemaStore.Cache history) {
    final SpecificData model = SpecificData.getForClass(type);
    this.type = type;
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, history);
  }

  /** A serde for {@code type}, whose current schema is its generated {@code SCHEMA$}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(final Class<T> type) {
    return withHistory(type);
  }

  /**
   * A serde for {@code type} that also decodes bytes written with any of {@code olderSchemas}.
   */
  public static <T extends SpecificRecord> AvroSerde<T> withHistory(
      final Class<T> type, final Schema... olderSchemas) {
    final SchemaStore.Cache history = new SchemaStore.Cache();
    for (final Schema older : olderSchemas) {
      history.addSchema(older);
    }
    return new AvroSerde<>(type, SpecificData.get().getSchema(type), history);
  }

  public byte[] encode(final T value) {
    try {
      final ByteBuffer buffer = encoder.encode(value);
      final byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public T decode(final byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode " + type.getSimpleName() + " (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
