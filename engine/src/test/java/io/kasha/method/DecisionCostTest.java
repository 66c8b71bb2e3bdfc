package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The number of store operations per call, not time: it must not depend on how many results a rung holds. */
class DecisionCostTest {

  private static final RungSchedule SCHEDULE = RungSchedule.of(1, 81, 3, 0);

  @Test
  void storeOperationsPerCallDoNotGrowWithTheRungSize() {
    // given
    final Cost small = costOfLastCalls(1_000);
    final Cost large = costOfLastCalls(100_000);
    // then
    assertThat(large.record).isEqualTo(small.record).isLessThanOrEqualTo(10);
    assertThat(large.decision).isEqualTo(small.decision).isLessThanOrEqualTo(SCHEDULE.topRung() + 2);
  }

  @Test
  void seeksStepOverNoDeletedKeysWhileTheSchedulerFillsTheSlotOfEveryReport() {
    // given a store that keeps deleted keys as markers, as RocksDB does until a compaction
    final DeletionMarkerStore store = new DeletionMarkerStore();
    final AshaPolicy policy = new AshaPolicy(store, "study", SCHEDULE, 3, Direction.MINIMIZE);
    final Random random = new Random(5);
    final List<Job> inFlight = new ArrayList<>();
    final int reports = 20_000;
    int created = 0;
    // when 8 jobs are in flight, they complete in random order, and each report frees one slot that
    // one decision fills: the best candidate if a rung has one, else a new trial
    for (int i = 0; i < 8; i++) {
      inFlight.add(new Job("trial-" + created++, 0));
    }
    for (int i = 0; i < reports; i++) {
      final Job job = inFlight.remove(random.nextInt(inFlight.size()));
      policy.record(job.rung(), job.trialId(), random.nextDouble());
      final Optional<AshaPromotion> promotion = policy.nextPromotion();
      if (promotion.isPresent()) {
        policy.markPromoted(promotion.get());
        inFlight.add(new Job(promotion.get().trialId(), promotion.get().toRung()));
      } else {
        inFlight.add(new Job("trial-" + created++, 0));
      }
    }
    // then thousands of promotions deleted their unpromoted entries, and no seek stepped over one
    assertThat(policy.promoted(0)).isGreaterThan(3_000);
    assertThat(policy.promoted(1)).isGreaterThan(1_000);
    assertThat(store.markersSteppedOver).isZero();
  }

  private record Cost(long record, long decision) {}

  private record Job(String trialId, int rung) {}

  /**
   * Fills rung 0 with {@code results} random results, promoting whenever possible; returns the most
   * operations one {@code record} and one {@code nextPromotion} took over the last 500 results.
   */
  private static Cost costOfLastCalls(final int results) {
    final CountingStore store = new CountingStore();
    final AshaPolicy policy = new AshaPolicy(store, "study", SCHEDULE, 3, Direction.MINIMIZE);
    final Random random = new Random(3);
    long record = 0;
    long decision = 0;
    for (int i = 0; i < results; i++) {
      store.operations = 0;
      policy.record(0, "trial-" + i, random.nextDouble());
      final long recordOps = store.operations;
      store.operations = 0;
      final Optional<AshaPromotion> promotion = policy.nextPromotion();
      final long decisionOps = store.operations;
      promotion.ifPresent(p -> {
        policy.markPromoted(p);
        policy.record(1, p.trialId(), random.nextDouble());
      });
      if (i >= results - 500) {
        record = Math.max(record, recordOps);
        decision = Math.max(decision, decisionOps);
      }
    }
    assertThat(policy.promoted(0)).isGreaterThan(results / 3 - 1);
    return new Cost(record, decision);
  }
}
