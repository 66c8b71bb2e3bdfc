package io.kasha.study;

import io.kasha.schemas.StudyCommand;
import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;

/**
 * The state a study engine keeps, as five stores: each study's accepted command (its spec, extended
 * in place), each study's changing state, each trial's state, the tuning methods' rung entries (an
 * ordered store shared by the studies, each under its own key prefix) and the deadlines (leases and
 * time budgets, ordered by time).
 */
public record StudyStores(Table<StudyCommand> specs, Table<StudyState> studies, Table<TrialState> trials,
    OrderedStore rungs, OrderedStore deadlines) {

  /** Stores on the heap, for the simulator and tests: the engine decides over them as over RocksDB. */
  public static StudyStores inMemory() {
    return new StudyStores(Table.inMemory(), Table.inMemory(), Table.inMemory(), new InMemoryOrderedStore(),
        new InMemoryOrderedStore());
  }
}
