package io.kasha.store;

/**
 * Every part of the shared rung store, in one place. A study's keys all start with the study id's
 * UTF-8 bytes and a 0x00 byte, then a one-byte tag: ASHA's own rung indexes use upper-case tags
 * ({@link RungKeys}: {@code 'C'} counter, {@code 'M'} rung metadata, {@code 'T'} a trial's entry,
 * {@code 'A'} every result, {@code 'U'} the results not yet promoted); every other part is a
 * {@link NamespacedStore} under one of the lower-case tags below, so no two parts' keys meet.
 */
public enum Keyspace {
  /** Every result of every trial, by trial then rung (the engine's record of results). */
  RESULTS('r'),
  /** Asynchronous Hyperband: one ASHA policy per bracket, the bracket number after the tag. */
  HYPERBAND_BRACKETS('h'),
  /** Asynchronous Hyperband: each trial's bracket. */
  HYPERBAND_ASSIGNMENTS('b'),
  /** ASHA, stopping variant. */
  STOPPING_ASHA('s'),
  /** Hyperband, stopping variant: one stopping ASHA per bracket, the bracket number after the tag. */
  STOPPING_BRACKETS('g'),
  /** Hyperband, stopping variant: each trial's bracket. */
  STOPPING_ASSIGNMENTS('k'),
  /** The median stopping rule. */
  MEDIAN_STOPPING('m'),
  /** Population based training. */
  PBT('p'),
  /** Multi-objective ASHA. */
  MO_ASHA('o'),
  /** Synchronous SHA and Hyperband. */
  SYNCHRONOUS('y');

  private final char tag;

  Keyspace(final char tag) {
    this.tag = tag;
  }

  /** The tag byte after {@code study 00}. */
  public char tag() {
    return tag;
  }
}
