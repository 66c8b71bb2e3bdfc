package io.kasha.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class BenchmarkFunctionsTest {

  @Test
  void findsEveryFunctionUnderItsOwnName() {
    assertThat(BenchmarkFunctions.names())
        .containsExactly("hartmann3", "hartmann6", "counting-ones", "branin", "height");
    for (final String name : BenchmarkFunctions.names()) {
      assertThat(BenchmarkFunctions.named(name).name()).isEqualTo(name);
    }
  }

  @Test
  void hartmannFunctionsAreTheNoisyOnes() {
    assertThat(((Hartmann) BenchmarkFunctions.named("hartmann3")).noiseVariance()).isEqualTo(0.01);
    assertThat(((Hartmann) BenchmarkFunctions.named("hartmann6")).noiseVariance()).isEqualTo(0.05);
  }

  @Test
  void unknownNameIsRejectedWithTheKnownOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchmarkFunctions.named("rosenbrock"))
        .withMessage("unknown benchmark function 'rosenbrock' "
            + "(known: hartmann3, hartmann6, counting-ones, branin, height)");
  }

  @Test
  void searchSpacesHandedOutCannotChangeTheFunction() {
    final BenchmarkFunction branin = BenchmarkFunctions.named("branin");

    branin.params().get(0).setHigh(100.0);

    assertThat(branin.params().get(0).getHigh()).isEqualTo(10.0);
  }
}
