package io.kasha.study;

/**
 * The decisions left to one call of the engine (a record or a punctuation): each job issued and each
 * trial whose checkpoints are released takes one. When none are left, the study's remaining work is
 * put off to the next punctuation through a continuation deadline, so no input record makes the
 * scheduler do unbounded work in one transaction.
 */
final class Work {

  private final int batch;
  private int left;

  Work(final int batch) {
    this.batch = batch;
    this.left = batch;
  }

  /** A new call begins with a whole batch. */
  void reset() {
    left = batch;
  }

  /** Takes one decision; false if none is left (nothing is taken). */
  boolean take() {
    if (left == 0) {
      return false;
    }
    left--;
    return true;
  }

  int left() {
    return left;
  }
}
