package io.kasha.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpiralDatasetTest {

  @Test
  void sameSeedGivesTheSamePoints() {
    final SpiralDataset first = SpiralDataset.generate(300, 11);
    final SpiralDataset second = SpiralDataset.generate(300, 11);

    for (int i = 0; i < 300; i++) {
      assertThat(second.features(i)).containsExactly(first.features(i));
      assertThat(second.label(i)).isEqualTo(first.label(i));
    }
  }

  @Test
  void otherSeedGivesOtherPoints() {
    final SpiralDataset first = SpiralDataset.generate(10, 11);
    final SpiralDataset second = SpiralDataset.generate(10, 12);

    assertThat(second.features(0)).isNotEqualTo(first.features(0));
  }

  @Test
  void splitsHaveTheirSizesAndBalancedClasses() {
    final SpiralDataset training = SpiralDataset.training();
    final SpiralDataset validation = SpiralDataset.validation();

    assertThat(training.size()).isEqualTo(2_000);
    assertThat(validation.size()).isEqualTo(500);
    assertThat(training.features(0)).hasSize(SpiralDataset.DIMENSIONS);
    for (int label = 0; label < SpiralDataset.CLASSES; label++) {
      final int wanted = label;
      assertThat(
              IntStream.range(0, training.size()).filter(i -> training.label(i) == wanted).count())
          .isBetween(666L, 667L);
    }
    assertThat(validation.features(0)).isNotEqualTo(training.features(0));
  }

  @Test
  void featuresAreCopiesThatCannotChangeTheDataset() {
    final SpiralDataset training = SpiralDataset.training();
    final double before = training.features(5)[0];

    training.features(5)[0] = 1e9;

    assertThat(training.features(5)[0]).isEqualTo(before);
  }
}
