package io.kasha.topology;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for the scheduler's own state-store values. They never leave the scheduler (the topic
 * contracts are Avro), so JSON keeps them readable in changelog topics. Integral numbers decode as
 * {@code Long}, matching the Avro parameter types.
 */
public final class JsonSerde<T> implements Serde<T> {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .configure(DeserializationFeature.USE_LONG_FOR_INTS, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Class<T> type;

  public JsonSerde(final Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      try {
        return value == null ? null : MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException("cannot encode " + type.getSimpleName(), e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      try {
        return bytes == null ? null : MAPPER.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException("cannot decode " + type.getSimpleName(), e);
      }
    };
  }
}
