package io.kasha.method;

/**
 * Which of two equal results ranks first in an ASHA rung (the {@code ties} knob). NaN ranks after
 * every number whatever the policy.
 */
public enum TiePolicy {

  /** The result recorded first ranks first (the default, as in the ASHA paper's deterministic order). */
  EARLIER,

  /** The result recorded last ranks first: a later trial that equals an incumbent displaces it. */
  LATER
}
