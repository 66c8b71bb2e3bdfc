package io.kasha.topology;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The partitioning contract of the input topics: a study's commands and reports are handled on the
 * partition its study id maps to under Kafka's default partitioner (murmur2 of the key's UTF-8 bytes,
 * as the Java client and librdkafka's {@code murmur2_random} compute it). A record that arrives
 * anywhere else (written by another partitioner, such as librdkafka's default {@code consistent_random},
 * or keyed by something other than its study id) is forwarded once to the partition it maps to, marked
 * with {@link #ROUTED_FROM}, and handled there. The check is one hash of the study id, so the cost of
 * a report stays where it was.
 */
final class Routing {

  /** Header of a forwarded record: the topic and partition it first arrived on, as "topic:partition". */
  static final String ROUTED_FROM = "kasha.routed-from";

  /** How many study ids the "logged once" memories keep before they forget the oldest. */
  private static final int REMEMBERED_STUDIES = 10_000;

  private final int partitions;

  Routing(final int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1 (got " + partitions + ")");
    }
    this.partitions = partitions;
  }

  /** The partition a study's records belong on, among {@code partitions}. */
  static int partitionOf(final String studyId, final int partitions) {
    return Utils.toPositive(Utils.murmur2(studyId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * The partition a record of {@code studyId} that arrived on {@code partition} must be forwarded to,
   * or -1 if it is handled here: it is on its partition, or was forwarded once already (so a record
   * never circles, even should the partition count change under a running scheduler).
   */
  int forwardTo(final String studyId, final int partition, final Headers headers) {
    if (partitions == 1 || headers.lastHeader(ROUTED_FROM) != null) {
      return -1;
    }
    final int home = partitionOf(studyId, partitions);
    return home == partition ? -1 : home;
  }

  /** The sinks' partitioner: a record goes to the partition its key (the study id) maps to. */
  static <V> StreamPartitioner<String, V> partitioner() {
    return (topic, key, value, numPartitions) -> Optional.of(Set.of(partitionOf(key, numPartitions)));
  }

  /** A set of study ids that forgets the oldest past {@link #REMEMBERED_STUDIES}: for "logged once per study". */
  static Set<String> rememberedStudies() {
    return Collections.newSetFromMap(new LinkedHashMap<String, Boolean>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
        return size() > REMEMBERED_STUDIES;
      }
    });
  }
}
