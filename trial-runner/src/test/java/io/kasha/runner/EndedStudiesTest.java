package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.entrypoint.Cancellation;
import org.junit.jupiter.api.Test;

class EndedStudiesTest {

  @Test
  void endingAStudyCancelsItsRunningJobsAndNoOthers() {
    final EndedStudies ended = new EndedStudies();
    final Cancellation first = new Cancellation();
    final Cancellation second = new Cancellation();
    final Cancellation other = new Cancellation();
    ended.track("s1", first);
    ended.track("s1", second);
    ended.track("s2", other);

    final int cancelled = ended.end("s1");

    assertThat(cancelled).isEqualTo(2);
    assertThat(first.isCancelled()).isTrue();
    assertThat(second.isCancelled()).isTrue();
    assertThat(other.isCancelled()).isFalse();
    assertThat(ended.hasEnded("s1")).isTrue();
    assertThat(ended.hasEnded("s2")).isFalse();
  }

  @Test
  void aJobThatFinishedIsNoLongerCancelled() {
    final EndedStudies ended = new EndedStudies();
    final Cancellation finished = new Cancellation();
    ended.track("s1", finished).close();

    assertThat(ended.end("s1")).isZero();
    assertThat(finished.isCancelled()).isFalse();
  }

  @Test
  void aJobOfAStudyThatHasEndedIsCancelledAsItStarts() {
    final EndedStudies ended = new EndedStudies();
    ended.end("s1");
    final Cancellation late = new Cancellation();

    ended.track("s1", late).close();

    assertThat(late.isCancelled()).isTrue();
  }

  @Test
  void remembersOnlyTheMostRecentEndedStudies() {
    final EndedStudies ended = new EndedStudies(2);

    ended.end("s1");
    ended.end("s2");
    ended.end("s3");

    assertThat(ended.hasEnded("s1")).isFalse();
    assertThat(ended.hasEnded("s2")).isTrue();
    assertThat(ended.hasEnded("s3")).isTrue();
  }
}
