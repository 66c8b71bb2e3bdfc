package io.kasha.entrypoint;

import java.util.concurrent.CompletableFuture;

/** A one-way signal asking a running segment to stop. Thread-safe. */
public final class Cancellation {

  private final CompletableFuture<Void> signal = new CompletableFuture<>();

  public void cancel() {
    signal.complete(null);
  }

  public boolean isCancelled() {
    return signal.isDone();
  }

  /** Completes when {@link #cancel()} is called; for waiting on cancellation and something else. */
  public CompletableFuture<Void> future() {
    return signal.copy();
  }
}
