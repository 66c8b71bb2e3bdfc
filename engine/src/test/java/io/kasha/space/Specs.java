package io.kasha.space;

import io.kasha.schemas.Mode;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.ParamType;
import io.kasha.schemas.SamplerKind;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.List;

/** Study specs for the tests. */
public final class Specs {

  private Specs() {}

  /** A valid study under both samplers: lr (log FLOAT), momentum (FLOAT), layers (INT), optimizer (CATEGORICAL). */
  public static StudySpec valid() {
    return study(SamplerKind.RANDOM, 42,
        floatParam("lr", 1e-4, 1e-1, true, 4),
        floatParam("momentum", 0.8, 0.99, false, 3),
        intParam("layers", 1, 4, false, null),
        categorical("optimizer", "sgd", "adam"));
  }

  public static StudySpec study(final SamplerKind sampler, final long seed, final ParamSpec... params) {
    return StudySpec.newBuilder()
        .setName("test")
        .setMetric("val_loss")
        .setMode(Mode.MIN)
        .setEntrypoint("train")
        .setParams(new ArrayList<>(List.of(params)))
        .setSampler(sampler)
        .setSeed(seed)
        .setMinResource(1)
        .setMaxResource(27)
        .setEta(3)
        .setMaxTrials(100)
        .build();
  }

  public static ParamSpec floatParam(final String name, final double low, final double high, final boolean log,
      final Integer gridPoints) {
    return ParamSpec.newBuilder().setName(name).setType(ParamType.FLOAT).setLow(low).setHigh(high).setLog(log)
        .setGridPoints(gridPoints).build();
  }

  public static ParamSpec intParam(final String name, final long low, final long high, final boolean log,
      final Integer gridPoints) {
    return ParamSpec.newBuilder().setName(name).setType(ParamType.INT).setLow((double) low).setHigh((double) high)
        .setLog(log).setGridPoints(gridPoints).build();
  }

  static ParamSpec categorical(final String name, final Object... choices) {
    return ParamSpec.newBuilder().setName(name).setType(ParamType.CATEGORICAL)
        .setChoices(new ArrayList<>(List.of(choices))).build();
  }
}
