package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;

/**
 * Every segment result of a study by trial and rung, with the checkpoint the segment wrote: what a
 * searcher learns from, and where population based training finds a donor's checkpoint at the step
 * it was ranked. One key per result in an {@link OrderedStore}, so a restarted scheduler reads the
 * same history.
 */
public final class TrialResults {

  private final OrderedStore store;

  public TrialResults(final OrderedStore store, final String studyId) {
    this.store = new NamespacedStore(store, studyId, Keyspace.RESULTS);
  }

  /** Records trialId's result and checkpoint (null if it wrote none) in rung; a later record replaces it. */
  public void record(final String trialId, final int rung, final double metric, final String checkpointUri) {
    final byte[] uri = checkpointUri == null ? new byte[0] : checkpointUri.getBytes(StandardCharsets.UTF_8);
    store.put(key(trialId, rung), ByteBuffer.allocate(Double.BYTES + 1 + uri.length)
        .putDouble(metric).put((byte) (checkpointUri == null ? 0 : 1)).put(uri).array());
  }

  public OptionalDouble metric(final String trialId, final int rung) {
    final byte[] value = store.get(key(trialId, rung));
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(ByteBuffer.wrap(value).getDouble());
  }

  /** The checkpoint trialId wrote at the end of its segment to rung, or null. */
  public String checkpoint(final String trialId, final int rung) {
    final byte[] value = store.get(key(trialId, rung));
    if (value == null || value[Double.BYTES] == 0) {
      return null;
    }
    return new String(value, Double.BYTES + 1, value.length - Double.BYTES - 1, StandardCharsets.UTF_8);
  }

  private static byte[] key(final String trialId, final int rung) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(id.length + 1 + Integer.BYTES).put(id).put((byte) 0).putInt(rung).array();
  }
}
