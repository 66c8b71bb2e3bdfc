package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.store.InMemoryOrderedStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotFillerTest {

  private static final RungSchedule SCHEDULE = RungSchedule.of(1, 9, 3, 0);

  private final AshaRule rule = new AshaRule(
      new AshaPolicy(new InMemoryOrderedStore(), "study", SCHEDULE, 3, Direction.MINIMIZE), SCHEDULE, "loss");

  /** Slots that record what the filler started; each start takes one of {@code free}. */
  private static final class RecordingSlots implements SlotFiller.Slots {
    final List<String> started = new ArrayList<>();
    int free;
    boolean budget;

    RecordingSlots(final int free, final boolean budget) {
      this.free = free;
      this.budget = budget;
    }

    @Override
    public boolean hasFreeSlot() {
      return free > 0;
    }

    @Override
    public boolean trialBudgetLeft() {
      return budget;
    }

    @Override
    public void promote(final SlotPromotion promotion) {
      free--;
      started.add("promote " + promotion.trialId() + " to rung " + promotion.toRung());
    }

    @Override
    public void startNewTrial() {
      free--;
      started.add("new trial");
    }
  }

  private void result(final String trial, final double loss) {
    rule.record(trial, 0, Map.of("loss", loss), null);
  }

  @Test
  void aPromotionComesBeforeANewTrialAndIsMarkedBeforeTheStudyActsOnIt() {
    result("a", 0.1);
    result("b", 0.2);
    result("c", 0.3);
    final RecordingSlots slots = new RecordingSlots(2, true);

    SlotFiller.fill(rule, slots);

    assertThat(slots.started).containsExactly("promote a to rung 1", "new trial");
    assertThat(rule.nextPromotion()).isEmpty();
  }

  @Test
  void aNewTrialWhenNothingIsPromotableAndTheBudgetAllows() {
    result("a", 0.1);
    final RecordingSlots slots = new RecordingSlots(1, true);

    SlotFiller.fill(rule, slots);

    assertThat(slots.started).containsExactly("new trial");
  }

  @Test
  void nothingStartsWhenNothingIsPromotableAndTheBudgetIsSpent() {
    result("a", 0.1);
    final RecordingSlots slots = new RecordingSlots(3, false);

    SlotFiller.fill(rule, slots);

    assertThat(slots.started).isEmpty();
  }
}
