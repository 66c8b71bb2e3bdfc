package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BracketTest {

  @Test
  void hyperbandBracketsAreTheTableOfLiEtAlForR81AndEta3() {
    // when
    final List<Bracket> brackets = Bracket.hyperband(1, 81, 3);
    // then: Li et al., JMLR 2018, Table 1; n = ceil((s_max + 1) / (s + 1) * eta^s), r = R * eta^-s
    assertThat(brackets).containsExactly(
        new Bracket(4, List.of(1L, 3L, 9L, 27L, 81L), List.of(81L, 27L, 9L, 3L, 1L)),
        new Bracket(3, List.of(3L, 9L, 27L, 81L), List.of(34L, 11L, 3L, 1L)),
        new Bracket(2, List.of(9L, 27L, 81L), List.of(15L, 5L, 1L)),
        new Bracket(1, List.of(27L, 81L), List.of(8L, 2L)),
        new Bracket(0, List.of(81L), List.of(5L)));
  }

  @Test
  void hyperbandOnAScheduleThatIsNotAPowerOfEtaUsesTheSchedulersRungs() {
    // when R = 100: the rungs are 1, 3, 9, 27, 81, 100, so s_max = 5
    final List<Bracket> brackets = Bracket.hyperband(1, 100, 3);
    // then
    assertThat(brackets).hasSize(6);
    assertThat(brackets.get(0)).isEqualTo(
        new Bracket(5, List.of(1L, 3L, 9L, 27L, 81L, 100L), List.of(243L, 81L, 27L, 9L, 3L, 1L)));
    assertThat(brackets.get(5)).isEqualTo(new Bracket(0, List.of(100L), List.of(6L)));
  }

  @Test
  void successiveHalvingKeepsTheBestFloorOfNOverEtaAtEachRung() {
    assertThat(Bracket.successiveHalving(256, 1, 256, 4).configurations()).containsExactly(256L, 64L, 16L, 4L, 1L);
    assertThat(Bracket.successiveHalving(100, 1, 81, 3).configurations()).containsExactly(100L, 33L, 11L, 3L, 1L);
    assertThat(Bracket.successiveHalving(10, 1, 81, 3).configurations()).containsExactly(10L, 3L, 1L, 0L, 0L);
  }

  @Test
  void randomSearchIsOneRungAtTheMaximumResource() {
    assertThat(Bracket.randomSearch(7, 81)).isEqualTo(new Bracket(0, List.of(81L), List.of(7L)));
  }
}
