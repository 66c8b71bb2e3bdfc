package io.kasha.study;

import io.kasha.space.History;
import io.kasha.space.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A study's results for a searcher that learns from them (TPE, evolution), kept on the heap once
 * read from the stores, so that a new trial's suggestion costs no store read per earlier trial. It is
 * a cache: a restarted scheduler reads the stores once and goes on from there, and the history is in
 * the same order either way (by trial, then rung), so the searcher suggests the same.
 * Not thread-safe: one study's records are handled serially.
 */
final class StudyHistory {

  /** Each trial's results by rung, by trial index; null until read from the stores. */
  private Map<Long, List<Observation>> byTrial;

  /** The history so far, read from the stores by {@code fromStores} the first time. */
  History snapshot(final Supplier<List<Observation>> fromStores) {
    if (byTrial == null) {
      byTrial = new TreeMap<>();
      fromStores.get().forEach(this::append);
    }
    final List<Observation> results = new ArrayList<>();
    byTrial.values().forEach(results::addAll);
    return new History(results);
  }

  /** Adds a result, if the history has been read already (else the stores will have it). */
  void add(final Observation result) {
    if (byTrial != null) {
      append(result);
    }
  }

  private void append(final Observation result) {
    final List<Observation> trial = byTrial.computeIfAbsent(result.index(), index -> new ArrayList<>());
    trial.add(result);
    if (trial.size() > 1 && trial.get(trial.size() - 2).rung() > result.rung()) {
      trial.sort(java.util.Comparator.comparingInt(Observation::rung));
    }
  }
}
