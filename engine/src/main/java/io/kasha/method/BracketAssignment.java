package io.kasha.method;

import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The bracket of every trial of a Hyperband study, kept in an {@link OrderedStore}: a trial counter
 * and one key per trial, so a restarted scheduler assigns the next trial as the last one would have.
 */
final class BracketAssignment {

  private static final byte[] COUNTER = {'C'};

  private final OrderedStore store;
  private final int[] rungCounts;
  private final BracketRule rule;
  private final long seed;

  BracketAssignment(final OrderedStore store, final int[] rungCounts, final BracketRule rule, final long seed) {
    this.store = store;
    this.rungCounts = rungCounts.clone();
    this.rule = rule;
    this.seed = seed;
  }

  /** Assigns a new trial to a bracket and returns it; for a trial already assigned, its bracket. */
  int assign(final String trialId) {
    final OptionalInt known = bracketOf(trialId);
    if (known.isPresent()) {
      return known.getAsInt();
    }
    final long ordinal = RungKeys.longOf(store.get(COUNTER));
    final int bracket = rule.bracket(ordinal, rungCounts, seed);
    store.put(COUNTER, RungKeys.longValue(ordinal + 1));
    store.put(trialKey(trialId), ByteBuffer.allocate(Integer.BYTES).putInt(bracket).array());
    return bracket;
  }

  OptionalInt bracketOf(final String trialId) {
    final byte[] value = store.get(trialKey(trialId));
    return value == null ? OptionalInt.empty() : OptionalInt.of(ByteBuffer.wrap(value).getInt());
  }

  int require(final String trialId) {
    return bracketOf(trialId).orElseThrow(
        () -> new IllegalArgumentException("trial " + trialId + " has no bracket: assign it first"));
  }

  private static byte[] trialKey(final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put((byte) 'T').put(id).array();
  }
}
