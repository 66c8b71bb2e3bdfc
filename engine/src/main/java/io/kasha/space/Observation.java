package io.kasha.space;

import java.util.Map;

/**
 * One result a searcher learns from: trial {@code index} (0-based, in creation order) with its active
 * {@code params} reached {@code metric} at {@code rung}.
 */
public record Observation(long index, Map<String, Object> params, int rung, double metric) {}
