package io.kasha.policy;

/** Which way the objective metric improves. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE
}
