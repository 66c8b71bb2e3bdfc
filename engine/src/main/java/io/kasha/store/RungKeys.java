package io.kasha.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte layout of one study's ASHA state in an {@link OrderedStore}. Every key starts with the
 * study id's UTF-8 bytes and a 0x00 byte, then a one-byte tag:
 *
 * <pre>
 *   study 00 'C'                        -> arrival counter (8 bytes)
 *   study 00 'M' rung                   -> rung metadata ({@link RungState})
 *   study 00 'T' rung trialId           -> the trial's entry in that rung
 *   study 00 'A' rung entry             -> metric (8 bytes): every result of the rung, best first
 *   study 00 'U' rung entry             -> metric (8 bytes): the results not yet promoted, best first
 * </pre>
 *
 * <p>The rung is a 4-byte big-endian int. An <em>entry</em> is {@code score arrival trialId}: a
 * 9-byte {@linkplain #score score} whose unsigned byte order is the rank order, the 8-byte arrival
 * number (so ties go to the earlier result), then the trial id's UTF-8 bytes.
 */
public final class RungKeys {

  private static final byte COUNTER = 'C';
  private static final byte META = 'M';
  private static final byte TRIAL = 'T';
  private static final byte ALL = 'A';
  private static final byte OPEN = 'U';

  private static final byte FINITE = 0;
  private static final byte INFINITE = 1;
  private static final byte NOT_A_NUMBER = 2;
  private static final int SCORE_BYTES = 9;
  private static final int ARRIVAL_BYTES = 8;

  private final byte[] study;

  public RungKeys(final String studyId) {
    final byte[] id = studyId.getBytes(StandardCharsets.UTF_8);
    this.study = Arrays.copyOf(id, id.length + 1);
  }

  public byte[] counter() {
    return ByteBuffer.allocate(study.length + 1).put(study).put(COUNTER).array();
  }

  public byte[] meta(final int rung) {
    return rungKey(META, rung, new byte[0]);
  }

  public byte[] trial(final int rung, final String trialId) {
    return rungKey(TRIAL, rung, trialId.getBytes(StandardCharsets.UTF_8));
  }

  /** The key of {@code entry} in the index of all results of {@code rung}. */
  public byte[] all(final int rung, final byte[] entry) {
    return rungKey(ALL, rung, entry);
  }

  /** The key of {@code entry} in the index of not-yet-promoted results of {@code rung}. */
  public byte[] open(final int rung, final byte[] entry) {
    return rungKey(OPEN, rung, entry);
  }

  public byte[] allStart(final int rung) {
    return all(rung, new byte[0]);
  }

  public byte[] allEnd(final int rung) {
    return all(rung + 1, new byte[0]);
  }

  public byte[] openStart(final int rung) {
    return open(rung, new byte[0]);
  }

  public byte[] openEnd(final int rung) {
    return open(rung + 1, new byte[0]);
  }

  /** The smallest key that sorts after {@code key}. */
  public static byte[] after(final byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** The entry part of an {@link #all} or {@link #open} key. */
  public byte[] entryOf(final byte[] key) {
    return Arrays.copyOfRange(key, study.length + 1 + Integer.BYTES, key.length);
  }

  public static byte[] entry(final byte[] score, final long arrival, final String trialId) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(SCORE_BYTES + ARRIVAL_BYTES + id.length)
        .put(score).putLong(arrival).put(id).array();
  }

  public static String trialIdOf(final byte[] entry) {
    final int start = SCORE_BYTES + ARRIVAL_BYTES;
    return new String(entry, start, entry.length - start, StandardCharsets.UTF_8);
  }

  /**
   * The rank of a loss (a metric with its direction folded in, {@code Direction.loss}) as bytes:
   * smaller unsigned bytes rank better; finite results come first, then infinite ones, then NaN.
   */
  public static byte[] score(final double loss) {
    if (Double.isNaN(loss)) {
      return ByteBuffer.allocate(SCORE_BYTES).put(NOT_A_NUMBER).array();
    }
    final long bits = Double.doubleToLongBits(loss + 0.0);
    final long ordered = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    return ByteBuffer.allocate(SCORE_BYTES)
        .put(Double.isInfinite(loss) ? INFINITE : FINITE).putLong(ordered).array();
  }

  public static byte[] metricValue(final double metric) {
    return ByteBuffer.allocate(Double.BYTES).putDouble(metric).array();
  }

  public static double metricOf(final byte[] value) {
    return ByteBuffer.wrap(value).getDouble();
  }

  public static byte[] longValue(final long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  public static long longOf(final byte[] value) {
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  private byte[] rungKey(final byte tag, final int rung, final byte[] rest) {
    return ByteBuffer.allocate(study.length + 1 + Integer.BYTES + rest.length)
        .put(study).put(tag).putInt(rung).put(rest).array();
  }
}
