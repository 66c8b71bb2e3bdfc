package io.kasha.study;

import io.kasha.schemas.SchedulerKind;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudySpec;
import io.kasha.spec.Limits;
import io.kasha.spec.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An EXTEND command checked against the study's current spec: budgets only grow, so a lower trial
 * or time budget, a time budget for a study that has none (it is unlimited), or a command that
 * names no budget is refused with every problem listed.
 *
 * @param problems why the command is refused; empty if it is not
 * @param extended the spec with the new budgets; the current spec if the command is refused
 * @param summary what changed, for the audit log
 */
record Extension(List<String> problems, StudySpec extended, String summary) {

  static Extension of(final StudySpec current, final StudyCommand command, final Limits limits) {
    final List<String> problems = new ArrayList<>();
    final List<String> changes = new ArrayList<>();
    final Integer maxTrials = command.getMaxTrials();
    final Long maxDurationMs = command.getMaxDurationMs();
    if (maxTrials == null && maxDurationMs == null) {
      problems.add("nothing to extend: give maxTrials, maxDurationMs or both");
    }
    final boolean bracketsFixed = current.getScheduler() == SchedulerKind.SHA
        || current.getScheduler() == SchedulerKind.HYPERBAND;
    final Problem overLimit = maxTrials == null ? null : limits.checkTrials(maxTrials);
    if (maxTrials != null) {
      if (bracketsFixed) {
        problems.add("maxTrials: a " + current.getScheduler().name().toLowerCase(java.util.Locale.ROOT)
            + " study sizes its brackets from the trial budget it starts with, so it cannot be raised; start "
            + "another study, or use asha or async_hyperband, whose budgets can grow");
      } else if (overLimit != null) {
        problems.add(overLimit.toString());
      } else if (maxTrials < current.getMaxTrials()) {
        problems.add("maxTrials: " + maxTrials + " is lower than the current budget of " + current.getMaxTrials()
            + " trials; a study's budget is only raised");
      } else {
        changes.add("trial budget " + current.getMaxTrials() + " -> " + maxTrials);
      }
    }
    if (maxDurationMs != null) {
      if (current.getMaxDurationMs() == null) {
        problems.add("maxDurationMs: the study has no time budget, so " + Duration.ofMillis(maxDurationMs)
            + " would lower it");
      } else if (maxDurationMs < current.getMaxDurationMs()) {
        problems.add("maxDurationMs: " + Duration.ofMillis(maxDurationMs) + " is shorter than the current budget of "
            + Duration.ofMillis(current.getMaxDurationMs()) + "; a study's budget is only raised");
      } else {
        changes.add("time budget " + Duration.ofMillis(current.getMaxDurationMs()) + " -> "
            + Duration.ofMillis(maxDurationMs));
      }
    }
    if (!problems.isEmpty()) {
      return new Extension(List.copyOf(problems), current, "");
    }
    final StudySpec extended = StudySpec.newBuilder(current)
        .setMaxTrials(maxTrials == null ? current.getMaxTrials() : maxTrials)
        .setMaxDurationMs(maxDurationMs == null ? current.getMaxDurationMs() : maxDurationMs)
        .build();
    return new Extension(List.of(), extended, String.join("; ", changes));
  }

  boolean accepted() {
    return problems.isEmpty();
  }
}
