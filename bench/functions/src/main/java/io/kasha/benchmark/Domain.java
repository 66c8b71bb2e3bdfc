package io.kasha.benchmark;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The search space of a benchmark function, and the check that a configuration lies in it. A
 * configuration is read into the coordinates the formulas use, in the order of the parameters.
 */
final class Domain {

  private final List<ParamSpec> params;

  Domain(final List<ParamSpec> params) {
    this.params = List.copyOf(params);
  }

  /** {@code count} parameters {@code <prefix>1 .. <prefix><count>}, FLOAT in [low, high]. */
  static List<ParamSpec> uniforms(final String prefix, final int count, final double low, final double high) {
    final List<ParamSpec> specs = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      specs.add(uniform(prefix + i, low, high));
    }
    return specs;
  }

  static ParamSpec uniform(final String name, final double low, final double high) {
    return range(name, ParamType.FLOAT, low, high);
  }

  static ParamSpec integers(final String name, final long low, final long high) {
    return range(name, ParamType.INT, low, high);
  }

  /** Fresh copies, since Avro records are mutable. */
  List<ParamSpec> params() {
    return params.stream().map(param -> ParamSpec.newBuilder(param).build()).toList();
  }

  /**
   * The values of this domain's parameters in {@code x}, in order; other entries of {@code x} are
   * ignored.
   *
   * @throws IllegalArgumentException if a parameter is missing, not a number, outside its range, or
   *     not a whole number where the parameter is INT
   */
  double[] read(final Map<String, Object> x) {
    final double[] values = new double[params.size()];
    for (int i = 0; i < values.length; i++) {
      final ParamSpec param = params.get(i);
      final Object value = x.get(param.getName());
      if (!(value instanceof Number number)) {
        throw new IllegalArgumentException(
            "parameter " + param.getName() + " must be a number, got " + (value == null ? "nothing" : value));
      }
      final double v = number.doubleValue();
      if (!(v >= param.getLow() && v <= param.getHigh())
          || (param.getType() == ParamType.INT && v != Math.rint(v))) {
        final String kind = param.getType() == ParamType.INT ? "an integer" : "a number";
        throw new IllegalArgumentException("parameter " + param.getName() + " must be " + kind + " in ["
            + bound(param, param.getLow()) + ", " + bound(param, param.getHigh()) + "], got " + value);
      }
      values[i] = v;
    }
    return values;
  }

  /**
   * The fidelity {@code z = r / maxResource}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= r <= maxResource}
   */
  static double fidelity(final long r, final long maxResource) {
    return (double) checkResource(r, maxResource) / maxResource;
  }

  /**
   * @return {@code r}
   * @throws IllegalArgumentException unless {@code 1 <= r <= maxResource}
   */
  static long checkResource(final long r, final long maxResource) {
    if (r < 1 || r > maxResource) {
      throw new IllegalArgumentException(
          "resource must be in 1.." + maxResource + " (the maximum resource), got " + r);
    }
    return r;
  }

  private static ParamSpec range(final String name, final ParamType type, final double low, final double high) {
    return ParamSpec.newBuilder().setName(name).setType(type).setLow(low).setHigh(high).build();
  }

  private static String bound(final ParamSpec param, final double value) {
    return param.getType() == ParamType.INT ? Long.toString((long) value) : Double.toString(value);
  }
}
