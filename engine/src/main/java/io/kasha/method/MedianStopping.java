package io.kasha.method;

import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017, §3.2.2), as Ray Tune's
 * {@code MedianStopping} applies it: a trial reporting at step t is stopped if its best result so
 * far is strictly worse than the median, over the other trials that have reached step t, of their
 * running averages up to t. A running average counts a trial's results at steps from
 * {@code grace_period} to t. No trial is judged before step {@code grace_period}, nor while fewer than
 * {@code min_samples} other trials have reached step t. NaN and infinite results count as the worst
 * possible value, so they never help a trial and pull running averages down to the worst.
 *
 * <p>Worked example, minimising, grace period 1, min samples 2: a reports 1.0 at step 1 and 0.8 at
 * step 2; b reports 1.2, then 1.0; c reports 2.0 at step 1: others a and b have reached step 1 with
 * running averages 1.0 and 1.2, median 1.1, and c's best 2.0 is worse, so c is stopped.
 *
 * <p>Study-file knobs: {@code grace_period} (default 1, in resource units), {@code min_samples}
 * (default 3, Ray Tune's {@code min_samples_required}).
 *
 * <p>State: per trial its best result, its latest step and whether it was stopped, the prefix sums
 * of its results by step (so a running average up to any t is one seek), and an index of trials by
 * latest step. A verdict reads one running average per trial that has reached t: the median needs
 * them all. A new instance over the same store continues identically. Not thread-safe.
 */
public final class MedianStopping {

  private static final byte SUMS = 'S';
  private static final byte TRIAL = 'T';
  private static final byte LATEST = 'L';

  private final OrderedStore store;
  private final Direction direction;
  private final long gracePeriod;
  private final int minSamples;

  /** @throws IllegalArgumentException if {@code gracePeriod < 0} or {@code minSamples < 1} */
  public MedianStopping(
      final OrderedStore store, final String studyId, final Direction direction, final long gracePeriod,
      final int minSamples) {
    if (gracePeriod < 0 || minSamples < 1) {
      throw new IllegalArgumentException("need grace_period >= 0 and min_samples >= 1 (got " + gracePeriod
          + ", " + minSamples + ")");
    }
    this.store = new NamespacedStore(store, studyId, Keyspace.MEDIAN_STOPPING);
    this.direction = direction;
    this.gracePeriod = gracePeriod;
    this.minSamples = minSamples;
  }

  /**
   * Records trialId's result at step and answers whether the trial continues. A trial once stopped
   * stays stopped; a result at a step not after the trial's latest one changes nothing.
   *
   * @throws IllegalArgumentException if step is negative
   */
  public Verdict record(final String trialId, final long step, final double metric) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0 (got " + step + ")");
    }
    final TrialState before = trial(trialId);
    if (before != null && before.stopped()) {
      return Verdict.stop("stopped earlier by the median rule");
    }
    if (before != null && step <= before.latestStep()) {
      return Verdict.proceed("already recorded up to step " + before.latestStep());
    }
    final double value = folded(metric);
    final double best = before == null ? value : Math.max(before.best(), value);
    if (step >= gracePeriod) {
      final double[] sums = sumsUpTo(trialId, Long.MAX_VALUE);
      store.put(sumsKey(trialId, step), ByteBuffer.allocate(2 * Double.BYTES)
          .putDouble(sums[0] + value).putDouble(sums[1] + 1).array());
    }
    if (before != null) {
      store.delete(latestKey(before.latestStep(), trialId));
    }
    store.put(latestKey(step, trialId), new byte[0]);
    if (step < gracePeriod) {
      return keep(trialId, new TrialState(best, step, false), "step " + step + " is within the grace period "
          + gracePeriod);
    }
    final double[] averages = othersRunningAverages(trialId, step);
    if (averages.length < minSamples) {
      return keep(trialId, new TrialState(best, step, false), averages.length + " other trials reached step " + step
          + ", fewer than min_samples " + minSamples);
    }
    final double median = median(averages);
    final String comparison = "best " + unfolded(best) + " against the median " + unfolded(median)
        + " of the running averages of " + averages.length + " other trials at step " + step;
    if (best < median) {
      store.put(trialKey(trialId), new TrialState(best, step, true).encode());
      return Verdict.stop("stopped: " + comparison);
    }
    return keep(trialId, new TrialState(best, step, false), "continued: " + comparison);
  }

  private Verdict keep(final String trialId, final TrialState state, final String reason) {
    store.put(trialKey(trialId), state.encode());
    return Verdict.proceed(reason);
  }

  private double[] othersRunningAverages(final String trialId, final long step) {
    final byte[] end = {LATEST + 1};
    double[] averages = new double[16];
    int count = 0;
    OrderedStore.Entry entry = store.first(latestKey(step, ""), end);
    while (entry != null) {
      final String other = new String(entry.key(), 1 + Long.BYTES, entry.key().length - 1 - Long.BYTES,
          StandardCharsets.UTF_8);
      if (!other.equals(trialId)) {
        final double[] sums = sumsUpTo(other, step);
        if (count == averages.length) {
          averages = Arrays.copyOf(averages, 2 * count);
        }
        averages[count++] = sums[0] / sums[1];
      }
      entry = store.first(RungKeys.after(entry.key()), end);
    }
    return Arrays.copyOf(averages, count);
  }

  /** The sum and count of trialId's results at steps from the grace period to upTo. */
  private double[] sumsUpTo(final String trialId, final long upTo) {
    final OrderedStore.Entry last = store.last(sumsKey(trialId, 0),
        upTo == Long.MAX_VALUE ? RungKeys.after(sumsKey(trialId, upTo)) : sumsKey(trialId, upTo + 1));
    if (last == null) {
      return new double[] {0, 0};
    }
    final ByteBuffer sums = ByteBuffer.wrap(last.value());
    return new double[] {sums.getDouble(), sums.getDouble()};
  }

  static double median(final double[] values) {
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    final int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** The metric turned so that larger is better (the negated loss), non-finite values to the worst. */
  private double folded(final double metric) {
    return -direction.lossOrWorst(metric);
  }

  private double unfolded(final double value) {
    return value == Double.NEGATIVE_INFINITY ? value : direction.loss(-value);
  }

  private TrialState trial(final String trialId) {
    final byte[] value = store.get(trialKey(trialId));
    return value == null ? null : TrialState.decode(value);
  }

  private static byte[] trialKey(final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(TRIAL).put(id).array();
  }

  private static byte[] sumsKey(final String trialId, final long step) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + Integer.BYTES + id.length + Long.BYTES)
        .put(SUMS).putInt(id.length).put(id).putLong(step).array();
  }

  private static byte[] latestKey(final long step, final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + Long.BYTES + id.length).put(LATEST).putLong(step).put(id).array();
  }

  /** A trial's best folded result, its latest step, and whether the rule stopped it. */
  private record TrialState(double best, long latestStep, boolean stopped) {

    static TrialState decode(final byte[] bytes) {
      final ByteBuffer buffer = ByteBuffer.wrap(bytes);
      return new TrialState(buffer.getDouble(), buffer.getLong(), buffer.get() == 1);
    }

    byte[] encode() {
      return ByteBuffer.allocate(Double.BYTES + Long.BYTES + 1)
          .putDouble(best).putLong(latestStep).put((byte) (stopped ? 1 : 0)).array();
    }
  }
}
