package io.kasha.space;

import java.util.Map;

/**
 * A searcher's choice: the configuration (active parameters only, in the spec's order) and how it
 * was chosen, for the audit log ("warm-start point 1 of 2", "tpe on rung 1 (12 results)").
 */
public record Suggestion(Map<String, Object> params, String how) {}
