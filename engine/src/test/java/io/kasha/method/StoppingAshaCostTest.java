package io.kasha.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Store operations per verdict, not time: they must not depend on how many results a rung holds. */
class StoppingAshaCostTest {

  @Test
  void storeOperationsPerVerdictDoNotGrowWithTheRungSize() {
    final long small = mostOperationsOverTheLastVerdicts(1_000);
    final long large = mostOperationsOverTheLastVerdicts(100_000);
    assertThat(large).isEqualTo(small).isLessThanOrEqualTo(10);
  }

  private static long mostOperationsOverTheLastVerdicts(final int results) {
    final CountingStore store = new CountingStore();
    final StoppingAsha rule = new StoppingAsha(store, "study", RungSchedule.of(1, 81, 3, 0), 3, Direction.MINIMIZE, 1);
    final Random random = new Random(3);
    long most = 0;
    for (int i = 0; i < results; i++) {
      store.operations = 0;
      rule.record(0, "trial-" + i, random.nextDouble());
      if (i >= results - 500) {
        most = Math.max(most, store.operations);
      }
    }
    return most;
  }
}
