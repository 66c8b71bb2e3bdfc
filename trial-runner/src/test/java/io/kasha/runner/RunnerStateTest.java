package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The runner's idle rule, on a clock the test sets; no broker is needed. */
class RunnerStateTest {

  private static final Duration IDLE = Duration.ofSeconds(2);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private RunnerState idleAfter(final Duration idle) {
    return new RunnerState(OptionalLong.empty(), Optional.of(idle), nanos::get);
  }

  private void advance(final Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void aRunnerThatNeverGetsAJobStopsOnceIdleForTheDurationSinceItStarted() {
    final RunnerState state = idleAfter(IDLE);
    advance(Duration.ofSeconds(5));
    state.started();

    advance(IDLE.minusMillis(1));
    state.stopIfIdle();
    assertThat(state.stopping()).isFalse();

    advance(Duration.ofMillis(1));
    state.stopIfIdle();
    assertThat(state.stopping()).isTrue();
  }

  @Test
  void aRunningJobKeepsTheRunnerUpHoweverLongItRuns() {
    final RunnerState state = idleAfter(IDLE);
    state.started();
    state.jobStarted();

    advance(IDLE.multipliedBy(10));
    state.stopIfIdle();

    assertThat(state.stopping()).isFalse();
  }

  @Test
  void theIdleTimeCountsFromTheEndOfTheLastJob() {
    final RunnerState state = idleAfter(IDLE);
    state.started();
    state.jobStarted();
    advance(IDLE.multipliedBy(10));
    state.jobEnded(true);

    advance(IDLE.minusMillis(1));
    state.stopIfIdle();
    assertThat(state.stopping()).isFalse();

    advance(Duration.ofMillis(1));
    state.stopIfIdle();
    assertThat(state.stopping()).isTrue();
    assertThat(state.jobsDone()).isEqualTo(1);
  }

  @Test
  void withoutAnIdleDurationTheRunnerNeverStopsForBeingIdle() {
    final RunnerState state = new RunnerState(OptionalLong.empty(), Optional.empty(), nanos::get);
    state.started();

    advance(Duration.ofDays(1));
    state.stopIfIdle();

    assertThat(state.stopping()).isFalse();
  }
}
