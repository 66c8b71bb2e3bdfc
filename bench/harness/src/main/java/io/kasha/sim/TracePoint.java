package io.kasha.sim;

/**
 * The study's best result changed at {@code time}: the best loss at the highest resource reached so
 * far, and the regret of that trial's configuration (noise-free, at full fidelity).
 */
public record TracePoint(double time, long trial, long resource, double loss, double regret) {}
