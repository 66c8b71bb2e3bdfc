package io.kasha.runner;

/** The acquisition lock of a job's record ended: the job may be delivered to another runner. */
final class LockLostException extends Exception {

  private static final long serialVersionUID = 1L;

  LockLostException(final String message) {
    super(message);
  }
}
