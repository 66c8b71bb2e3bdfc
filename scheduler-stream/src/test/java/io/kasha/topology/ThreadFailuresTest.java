package io.kasha.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final long[] now = {0};
  private final ThreadFailures failures = new ThreadFailures(3, Duration.ofMinutes(10), () -> now[0]);
  private final Exception failure = new InvalidTxnStateException("a commit after the broker restarted");

  @Test
  void aFailedThreadIsReplacedUntilFailuresKeepComingBack() {
    assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    for (int i = 0; i < 3; i++) {
      assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      now[0] += Duration.ofMinutes(4).toNanos();
    }
    // the first failure is now 12 minutes old: two remain in the window
    assertThat(failures.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }
}
