package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AshaPolicyTest {

  private static final RungSchedule RUNGS_1_3_9_27 = RungSchedule.of(1, 27, 3, 0);

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void promotesNothingBeforeARungHoldsEtaResults() {
    // given
    final AshaPolicy policy = minimising();
    policy.record(0, "a", 0.1);
    policy.record(0, "b", 0.2);
    // then
    assertThat(policy.nextPromotion()).isEmpty();
    // when
    policy.record(0, "c", 0.3);
    // then
    assertThat(policy.nextPromotion()).map(AshaPromotion::trialId).contains("a");
  }

  @Test
  void aRungIsPromotableWhileItHasAnUnpromotedCandidateAndListsItsUnpromotedTrialsBestFirst() {
    final AshaPolicy policy = new AshaPolicy(store, "study", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE, 4,
        TiePolicy.EARLIER);
    record(policy, 0, "a", 0.5, "b", 0.3, "c", 0.4);
    // floor(3/3) = 1 candidate, but min_rung_size 4 holds it
    assertThat(policy.promotable(0)).isFalse();
    policy.record(0, "d", 0.6);
    assertThat(policy.promotable(0)).isTrue();
    assertThat(promoteNext(policy)).isEqualTo("b");
    assertThat(policy.promotable(0)).isFalse();
    assertThat(policy.unpromoted(0)).containsExactly("c", "a", "d");
    assertThat(policy.unpromoted(1)).isEmpty();
  }

  @Test
  void minRungSizeHoldsARungsPromotionsUntilItHoldsThatManyResultsWhileOtherRungsGoOn() {
    // given min_rung_size 5: rung 0 must hold 5 results before it promotes
    final AshaPolicy policy = new AshaPolicy(store, "study", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE, 5,
        TiePolicy.EARLIER);
    record(policy, 0, "a", 0.5, "b", 0.3, "c", 0.4, "d", 0.6);
    // then floor(4/3) = 1 would allow a promotion, but the rung is held
    assertThat(policy.nextPromotion()).isEmpty();
    // when the fifth result arrives
    policy.record(0, "e", 0.7);
    // then the best of the top floor(5/3) = 1 goes
    assertThat(promoteNext(policy)).isEqualTo("b");
    assertThatThrownBy(() -> new AshaPolicy(store, "other", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE, 0,
        TiePolicy.EARLIER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min_rung_size");
  }

  @Test
  void theLaterTiePolicyRanksTheLaterOfTwoEqualResultsFirstAndNanStillLast() {
    // given equal results a then b, and a NaN, under each policy
    final AshaPolicy earlier = new AshaPolicy(store, "earlier", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE,
        1, TiePolicy.EARLIER);
    final AshaPolicy later = new AshaPolicy(store, "later", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE,
        1, TiePolicy.LATER);
    for (final AshaPolicy policy : List.of(earlier, later)) {
      record(policy, 0, "nan", Double.NaN, "a", 0.2, "b", 0.2);
    }
    // then
    assertThat(promoteNext(earlier)).isEqualTo("a");
    assertThat(promoteNext(later)).isEqualTo("b");
  }

  @Test
  void promotesBestUnpromotedTrialOfHighestRung() {
    // given rung 0 with an unpromoted candidate (i) and rung 1 one result short of eta
    final AshaPolicy policy = minimising();
    record(policy, 0, "a", 0.5, "b", 0.3, "c", 0.4);
    promoteNext(policy);
    record(policy, 0, "d", 0.2, "e", 0.6, "f", 0.1);
    promoteNext(policy);
    promoteNext(policy);
    record(policy, 0, "g", 0.7, "h", 0.8, "i", 0.05);
    record(policy, 1, "b", 0.25, "f", 0.3);
    assertThat(policy.nextPromotion()).contains(new AshaPromotion("i", 0, 0.05, 9, 3, 0.2));
    // when rung 1 reaches eta results
    policy.record(1, "d", 0.35);
    // then rung 1 goes first
    assertThat(policy.nextPromotion()).contains(new AshaPromotion("b", 1, 0.25, 3, 1, 0.25));
  }

  @Test
  void followsTheWorkedExampleOfItsDocumentation() {
    final AshaPolicy policy = new AshaPolicy(store, "study", RungSchedule.of(1, 9, 3, 0), 3, Direction.MINIMIZE);
    record(policy, 0, "a", 0.5, "b", 0.3, "c", 0.4);
    assertThat(promoteNext(policy)).isEqualTo("b");
    policy.record(0, "d", 0.2);
    assertThat(promoteNext(policy)).isEqualTo("d");
    policy.record(0, "e", 0.6);
    assertThat(policy.nextPromotion()).isEmpty();
    policy.record(0, "f", 0.1);
    assertThat(promoteNext(policy)).isEqualTo("f");
    record(policy, 1, "b", 0.25, "d", 0.3, "f", 0.2);
    assertThat(policy.nextPromotion()).contains(new AshaPromotion("f", 1, 0.2, 3, 1, 0.2));
  }

  @Test
  void candidatesAreTheBestFloorOfNOverEtaResults() {
    // given 9 results in rung 0, the best three already promoted
    final AshaPolicy policy = minimising();
    record(policy, 0, "a", 0.9, "b", 0.8, "c", 0.7);
    promoteNext(policy);
    record(policy, 0, "d", 0.6, "e", 0.5, "f", 0.4);
    promoteNext(policy);
    record(policy, 0, "g", 0.3, "h", 0.2, "i", 0.1);
    // when / then the top three are i, h, g, cut-off at g
    assertThat(policy.nextPromotion()).contains(new AshaPromotion("i", 0, 0.1, 9, 3, 0.3));
    assertThat(promoteNext(policy)).isEqualTo("i");
    assertThat(promoteNext(policy)).isEqualTo("h");
    assertThat(promoteNext(policy)).isEqualTo("g");
    assertThat(policy.nextPromotion()).isEmpty();
    assertThat(policy.promoted(0)).isEqualTo(5);
  }

  @Test
  void breaksTiesInFavourOfTheEarlierResult() {
    // given three equal results
    final AshaPolicy policy = minimising();
    record(policy, 0, "first", 0.5, "second", 0.5, "third", 0.5);
    // then
    assertThat(promoteNext(policy)).isEqualTo("first");
    // when a fourth result ties with the promoted one
    policy.record(0, "fourth", 0.5);
    // then it does not take the place of the earlier one
    assertThat(policy.nextPromotion()).isEmpty();
  }

  @Test
  void treatsNegativeAndPositiveZeroAsATie() {
    final AshaPolicy policy = minimising();
    record(policy, 0, "positive", 0.0, "negative", -0.0, "other", 1.0);
    assertThat(promoteNext(policy)).isEqualTo("positive");
  }

  @Test
  void neverPromotesNaNWhileAFiniteCandidateIsUnpromoted() {
    // given NaN results arriving before finite ones
    final AshaPolicy policy = minimising();
    record(policy, 0, "nan1", Double.NaN, "nan2", Double.NaN, "finite", 7.0);
    // then
    assertThat(promoteNext(policy)).isEqualTo("finite");
    // when the rung grows, all NaN but one
    record(policy, 0, "nan3", Double.NaN, "nan4", Double.NaN, "nan5", Double.NaN);
    // then the second candidate is the earliest NaN
    assertThat(policy.nextPromotion()).map(AshaPromotion::trialId).contains("nan1");
  }

  @Test
  void ranksInfiniteResultsAfterFiniteOnesAndBeforeNaN() {
    // given minimising, where minus infinity would naively be the best
    final AshaPolicy policy = minimising();
    // then
    assertThat(policy.better(1e300, Double.NEGATIVE_INFINITY)).isTrue();
    assertThat(policy.better(Double.NEGATIVE_INFINITY, 1e300)).isFalse();
    assertThat(policy.better(Double.POSITIVE_INFINITY, Double.NaN)).isTrue();
    assertThat(policy.better(Double.NEGATIVE_INFINITY, Double.NaN)).isTrue();
    assertThat(policy.better(Double.NaN, Double.NaN)).isFalse();
    assertThat(policy.better(Double.NaN, 0.0)).isFalse();
    // when
    record(policy, 0, "minusInfinity", Double.NEGATIVE_INFINITY, "nan", Double.NaN, "finite", 1e300);
    // then
    assertThat(promoteNext(policy)).isEqualTo("finite");
  }

  @Test
  void comparesFiniteResultsByValue() {
    final AshaPolicy minimising = minimising();
    final AshaPolicy maximising = new AshaPolicy(store, "max", RUNGS_1_3_9_27, 3, Direction.MAXIMIZE);
    assertThat(minimising.better(-2.5, -1.0)).isTrue();
    assertThat(minimising.better(-1.0, -2.5)).isFalse();
    assertThat(minimising.better(1e-300, 2e-300)).isTrue();
    assertThat(minimising.better(1.0, 1.0)).isFalse();
    assertThat(maximising.better(-1.0, -2.5)).isTrue();
    assertThat(maximising.better(3.0, 1.0)).isTrue();
    assertThat(maximising.better(1.0, 3.0)).isFalse();
  }

  @Test
  void maximizingPromotesTheLargestResult() {
    // given
    final AshaPolicy policy = new AshaPolicy(store, "study", RUNGS_1_3_9_27, 3, Direction.MAXIMIZE);
    // when
    record(policy, 0, "low", 0.2, "high", 0.9, "middle", 0.5);
    // then
    assertThat(policy.nextPromotion()).contains(new AshaPromotion("high", 0, 0.9, 3, 1, 0.9));
  }

  @Test
  void duplicateResultIsRefusedAndChangesNothing() {
    // given
    final AshaPolicy policy = minimising();
    record(policy, 0, "a", 0.5, "b", 0.6, "c", 0.7);
    final int keys = store.size();
    // when
    final boolean recorded = policy.record(0, "c", 0.1);
    // then
    assertThat(recorded).isFalse();
    assertThat(store.size()).isEqualTo(keys);
    assertThat(policy.results(0)).isEqualTo(3);
    assertThat(policy.nextPromotion()).map(AshaPromotion::trialId).contains("a");
  }

  @Test
  void theSameTrialMayHaveAResultInEveryRung() {
    final AshaPolicy policy = minimising();
    assertThat(policy.record(0, "a", 0.5)).isTrue();
    assertThat(policy.record(1, "a", 0.4)).isTrue();
    assertThat(policy.results(0)).isEqualTo(1);
    assertThat(policy.results(1)).isEqualTo(1);
  }

  @Test
  void studiesSharingAStoreDoNotSeeEachOther() {
    // given two studies, one id a prefix of the other, with the same trial ids
    final AshaPolicy study = new AshaPolicy(store, "s", RUNGS_1_3_9_27, 3, Direction.MINIMIZE);
    final AshaPolicy other = new AshaPolicy(store, "s1", RUNGS_1_3_9_27, 3, Direction.MAXIMIZE);
    // when
    record(study, 0, "a", 0.1, "b", 0.2, "c", 0.3);
    other.record(0, "a", 5.0);
    // then
    assertThat(study.results(0)).isEqualTo(3);
    assertThat(other.results(0)).isEqualTo(1);
    assertThat(other.nextPromotion()).isEmpty();
    assertThat(study.nextPromotion()).contains(new AshaPromotion("a", 0, 0.1, 3, 1, 0.1));
    // when
    record(other, 0, "b", 1.0, "c", 2.0);
    study.markPromoted(study.nextPromotion().orElseThrow());
    // then
    assertThat(other.nextPromotion()).contains(new AshaPromotion("a", 0, 5.0, 3, 1, 5.0));
    assertThat(other.promoted(0)).isZero();
  }

  @Test
  void aFreshInstanceOverTheSameStoreContinuesWhereTheLastOneStopped() {
    // given
    final AshaPolicy before = minimising();
    record(before, 0, "a", 0.4, "b", 0.3, "c", 0.5);
    promoteNext(before);
    record(before, 0, "d", 0.3, "e", 0.9);
    // when
    final AshaPolicy after = minimising();
    // then
    assertThat(after.results(0)).isEqualTo(5);
    assertThat(after.promoted(0)).isEqualTo(1);
    assertThat(after.record(0, "d", 0.0)).isFalse();
    after.record(0, "f", 0.8);
    assertThat(after.nextPromotion()).contains(new AshaPromotion("d", 0, 0.3, 6, 2, 0.3));
  }

  @Test
  void markingATrialPromotedTwiceChangesNothing() {
    // given
    final AshaPolicy policy = minimising();
    record(policy, 0, "a", 0.1, "b", 0.2, "c", 0.3);
    final AshaPromotion promotion = policy.nextPromotion().orElseThrow();
    policy.markPromoted(promotion);
    // when
    policy.markPromoted(promotion);
    // then
    assertThat(policy.promoted(0)).isEqualTo(1);
  }

  @Test
  void refusesToPromoteATrialWithoutAResultInThatRung() {
    final AshaPolicy policy = minimising();
    policy.record(0, "a", 0.1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> policy.markPromoted(new AshaPromotion("a", 1, 0.1, 3, 1, 0.1)))
        .withMessageContaining("a").withMessageContaining("rung 1");
  }

  @Test
  void refusesRungsOutsideTheSchedule() {
    final AshaPolicy policy = minimising();
    assertThatIllegalArgumentException().isThrownBy(() -> policy.record(4, "a", 0.1));
    assertThatIllegalArgumentException().isThrownBy(() -> policy.record(-1, "a", 0.1));
  }

  @Test
  void neverPromotesOutOfTheTopRung() {
    // given a full top rung
    final AshaPolicy policy = new AshaPolicy(store, "study", RungSchedule.of(1, 3, 3, 0), 3, Direction.MINIMIZE);
    record(policy, 1, "a", 0.1, "b", 0.2, "c", 0.3);
    // then
    assertThat(policy.nextPromotion()).isEmpty();
  }

  @Test
  void explainsAPromotion() {
    final AshaPromotion promotion = new AshaPromotion("t7", 1, 0.213, 9, 3, 0.25);
    assertThat(promotion.toRung()).isEqualTo(2);
    assertThat(promotion.reason())
        .isEqualTo("best not-yet-promoted result of rung 1 (0.213), within the top 3 of 9 results, cut-off 0.25");
  }

  @Test
  void refusesAnEtaBelowTwo() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new AshaPolicy(store, "study", RUNGS_1_3_9_27, 1, Direction.MINIMIZE));
  }

  private AshaPolicy minimising() {
    return new AshaPolicy(store, "study", RUNGS_1_3_9_27, 3, Direction.MINIMIZE);
  }

  /** Records (trialId, metric) pairs in order. */
  private static void record(final AshaPolicy policy, final int rung, final Object... trialsAndMetrics) {
    for (int i = 0; i < trialsAndMetrics.length; i += 2) {
      assertThat(policy.record(rung, (String) trialsAndMetrics[i], (Double) trialsAndMetrics[i + 1])).isTrue();
    }
  }

  private static String promoteNext(final AshaPolicy policy) {
    final Optional<AshaPromotion> promotion = policy.nextPromotion();
    assertThat(promotion).isPresent();
    policy.markPromoted(promotion.get());
    return promotion.get().trialId();
  }
}
