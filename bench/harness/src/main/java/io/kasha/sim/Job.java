package io.kasha.sim;

import java.util.Map;

/**
 * One simulated job: trains {@code trial} from {@code fromResource} to {@code toResource}, the
 * resource of {@code rung}. {@code fromResource} is 0 for a new trial, and for every job when the
 * simulation has no checkpoints.
 *
 * @param trial the trial's 0-based index, also its sampler index
 * @param rung the rung of the whole schedule {@code RungSchedule.of(minResource, maxResource, eta, 0)}
 * @param attempt 1, then 2, 3... when a dropped job is run again
 */
public record Job(long trial, Map<String, Object> params, int rung, long fromResource, long toResource, int attempt) {

  Job rerun() {
    return new Job(trial, params, rung, fromResource, toResource, attempt + 1);
  }
}
