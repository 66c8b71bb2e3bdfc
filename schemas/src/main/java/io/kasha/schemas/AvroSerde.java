package io.kasha.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
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

  /**
   * The longest string, bytes or array this JVM's Avro decoders read: 16 MiB, sixteen times Kafka's
   * default largest record, unless the JVM sets Avro's own properties ({@code
   * org.apache.avro.limits.string.maxLength}, {@code .bytes.maxLength}, {@code .collectionItems.maxLength}).
   * Avro allocates what a length prefix says before it reads the first byte, up to 2 GiB by default, so
   * without them a 15-byte record with a corrupt length ran a scheduler out of memory; no element of a
   * record is longer than the record itself. Avro reads the properties once, when it first decodes: this
   * class sets the unset ones and has Avro read them again, so the bounds hold whatever decoded first.
   */
  public static final int MAX_DECODED_LENGTH = 16 * 1024 * 1024;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AvroSerde.class);

  static {
    for (final String property : java.util.List.of(SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
        SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY)) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, Integer.toString(MAX_DECODED_LENGTH));
      }
    }
    try {
      final java.lang.reflect.Method reread = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reread.setAccessible(true);
      reread.invoke(null);
    } catch (final ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Avro's length bounds may not hold in this JVM ({}); start it with -D{}={} and the same for {} and {}",
          e, SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_DECODED_LENGTH,
          SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);
    }
  }

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
