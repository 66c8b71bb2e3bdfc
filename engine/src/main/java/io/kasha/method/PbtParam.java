package io.kasha.method;

import java.util.List;

/**
 * One hyperparameter that {@link PopulationBasedTraining} may change when it explores (Ray Tune's
 * {@code hyperparam_mutations} entry). Parameters not listed are copied from the donor unchanged.
 */
public sealed interface PbtParam {

  String name();

  /**
   * A numeric range: perturbing multiplies the value by a perturbation factor (truncating for an
   * integer parameter, as Ray Tune does) and keeps it within {@code [low, high]}; resampling draws
   * uniformly, on a log scale if {@code log}.
   */
  record Range(String name, double low, double high, boolean integer, boolean log) implements PbtParam {

    public Range {
      if (!(low <= high) || !Double.isFinite(low) || !Double.isFinite(high) || (log && low <= 0)) {
        throw new IllegalArgumentException(name + ": need finite low <= high, and low > 0 on a log scale (got "
            + low + ", " + high + ")");
      }
    }
  }

  /**
   * A list of values: perturbing moves to the neighbouring value left or right (staying put at
   * either end); resampling, or a current value not in the list, draws one uniformly. Values are
   * strings, booleans or numbers; whole numbers are held as longs and others as doubles, the types
   * parameters have after a trip through JSON.
   */
  record Choices(String name, List<Object> values) implements PbtParam {

    public Choices {
      values = values.stream().map(Choices::normalized).toList();
      if (values.isEmpty()) {
        throw new IllegalArgumentException(name + ": needs at least one value");
      }
    }

    private static Object normalized(final Object value) {
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      return value instanceof Float f ? (Object) f.doubleValue() : value;
    }
  }
}
