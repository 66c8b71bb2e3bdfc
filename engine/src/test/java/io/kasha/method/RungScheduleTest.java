package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class RungScheduleTest {

  @Test
  void buildsTheRungsOfTable1OfTheAshaPaper() {
    // given r_min = 1, R = 27, eta = 3, s = 0
    // when
    final RungSchedule schedule = RungSchedule.of(1, 27, 3, 0);
    // then
    assertThat(schedule.resources()).containsExactly(1L, 3L, 9L, 27L);
    assertThat(schedule.size()).isEqualTo(4);
    assertThat(schedule.topRung()).isEqualTo(3);
    assertThat(schedule.resource(2)).isEqualTo(9L);
  }

  @Test
  void buildsTheRungsOfTable2OfTheAshaPaper() {
    assertThat(RungSchedule.of(1, 256, 4, 0).resources()).containsExactly(1L, 4L, 16L, 64L, 256L);
  }

  @Test
  void earlyStoppingRateSkipsTheLowestRungs() {
    assertThat(RungSchedule.of(1, 27, 3, 1).resources()).containsExactly(3L, 9L, 27L);
    assertThat(RungSchedule.of(1, 27, 3, 2).resources()).containsExactly(9L, 27L);
    assertThat(RungSchedule.of(1, 27, 3, 3).resources()).containsExactly(27L);
  }

  @Test
  void endsWithMaxResourceWhenItIsNotAPowerOfEta() {
    assertThat(RungSchedule.of(1, 100, 3, 0).resources()).containsExactly(1L, 3L, 9L, 27L, 81L, 100L);
    assertThat(RungSchedule.of(2, 50, 3, 0).resources()).containsExactly(2L, 6L, 18L, 50L);
  }

  @Test
  void aSingleRungWhenMinResourceIsMaxResource() {
    assertThat(RungSchedule.of(5, 5, 3, 0).resources()).containsExactly(5L);
  }

  @Test
  void doesNotOverflowNearLongMaxValue() {
    // when
    final RungSchedule schedule = RungSchedule.of(1, Long.MAX_VALUE, 2, 0);
    // then 2^0 .. 2^62, then Long.MAX_VALUE itself
    assertThat(schedule.size()).isEqualTo(64);
    assertThat(schedule.resource(62)).isEqualTo(1L << 62);
    assertThat(schedule.resource(63)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rejectsAnEarlyStoppingRateThatSkipsPastMaxResource() {
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(1, 27, 3, 4));
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(1L << 62, Long.MAX_VALUE, 2, 1));
  }

  @Test
  void rejectsImpossibleParameters() {
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(0, 27, 3, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(1, 27, 1, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(1, 27, 3, -1));
    assertThatIllegalArgumentException().isThrownBy(() -> RungSchedule.of(28, 27, 3, 0));
  }

  @Test
  void rejectsResourcesThatDoNotIncrease() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RungSchedule(List.of(1L, 3L, 3L)));
    assertThatIllegalArgumentException().isThrownBy(() -> new RungSchedule(List.of()));
  }
}
