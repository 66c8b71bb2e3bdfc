package io.kasha.entrypoint;

/** Receives the progress reports of a running segment, in the order they were made. */
@FunctionalInterface
public interface ProgressListener {

  void progress(Progress progress);
}
