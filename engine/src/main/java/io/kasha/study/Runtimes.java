package io.kasha.study;

import io.kasha.schemas.StudyCommand;
import java.util.HashMap;
import java.util.Map;

/**
 * The studies' runtimes (tuning method, searcher, history), built from their specs on first use and
 * kept on the heap while they run: a cache that a restarted engine rebuilds from the stores.
 */
final class Runtimes {

  private final Map<String, StudyRuntime> byStudy = new HashMap<>();
  private final StudyStores stores;

  Runtimes(final StudyStores stores) {
    this.stores = stores;
  }

  StudyRuntime get(final String studyId) {
    return byStudy.computeIfAbsent(studyId, id -> StudyRuntime.of(id, stores.specs().get(id).getSpec(),
        stores.rungs()));
  }

  void put(final String studyId, final StudyRuntime runtime) {
    byStudy.put(studyId, runtime);
  }

  /** Nothing decides for the study again (it ended, or is created anew): drop what the heap holds. */
  void forget(final String studyId) {
    byStudy.remove(studyId);
  }

  /** The accepted command of a study, whose spec a later extension replaces. */
  StudyCommand command(final String studyId) {
    return stores.specs().get(studyId);
  }
}
