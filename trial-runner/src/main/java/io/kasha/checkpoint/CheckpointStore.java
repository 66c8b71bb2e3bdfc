package io.kasha.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the checkpoints of trials live between segments. A segment writes its checkpoint into a
 * fresh local directory from {@link #allocate}; once the segment completes, {@link #save} stores
 * that directory and names it by a URI, which the scheduler hands to the trial's next job; {@link
 * #resolve} turns such a URI back into a local directory to resume from.
 *
 * <p>Implementations are thread-safe: the slots of a runner share one store.
 */
public interface CheckpointStore {

  /** A new, empty directory for one segment of {@code trialId} to write its checkpoint into. */
  Path allocate(String studyId, String trialId) throws IOException;

  /**
   * Stores the checkpoint written into {@code directory} (from {@link #allocate}) for {@code
   * trialId} at {@code resource}, and returns its URI; returns empty, and deletes the directory, if
   * the segment wrote nothing. The directory no longer exists afterwards. Saving the same trial and
   * resource twice keeps the first checkpoint and returns its URI.
   */
  Optional<URI> save(String studyId, String trialId, long resource, Path directory)
      throws IOException;

  /** Deletes a directory from {@link #allocate} without storing it (the segment failed). */
  void discard(Path directory) throws IOException;

  /**
   * Deletes every stored checkpoint of {@code studyId} saved under {@code name} (a trial id, or the
   * checkpoint name a job gave), except the one {@code keep} names, if any; returns how many it
   * deleted. Idempotent, and safe while other runners release the same checkpoints.
   *
   * @throws IllegalArgumentException if the study id or the name could not have been saved
   */
  int release(String studyId, String name, Optional<URI> keep) throws IOException;

  /**
   * The local directory holding the checkpoint named by {@code uri}. A store that keeps checkpoints
   * elsewhere (an object store) copies the checkpoint into a new local directory, checked against what
   * was saved, and throws if it cannot; the caller hands that directory to {@link #done} once the
   * segment no longer reads it.
   *
   * @throws IllegalArgumentException if this store cannot have produced {@code uri}: another scheme,
   *     or a location outside the store
   * @throws java.io.UncheckedIOException if a store that copies checkpoints cannot: the checkpoint is
   *     missing (never completely saved, or released), unreachable, or differs from what was saved
   */
  Path resolve(URI uri);

  /**
   * Says that the segment that read {@code resolved}, a directory from {@link #resolve}, has ended: a
   * store that copied the checkpoint there deletes the copy. The stored checkpoint stays. Does nothing
   * by default, for stores that hand out the stored directory itself.
   */
  default void done(Path resolved) throws IOException {}
}
