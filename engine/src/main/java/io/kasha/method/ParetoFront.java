package io.kasha.method;

import java.util.List;
import java.util.Map;

/** A multi-objective tuning method, which ends a study with a Pareto front rather than one best trial. */
public interface ParetoFront {

  /** The study's Pareto front. */
  List<FrontMember> paretoFront();

  /** One trial of a Pareto front: its rung and its value of every objective, by metric name. */
  record FrontMember(String trialId, int rung, Map<String, Double> metrics) {}
}
