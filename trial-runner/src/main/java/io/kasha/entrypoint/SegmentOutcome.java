package io.kasha.entrypoint;

import io.kasha.schemas.FailureKind;
import java.util.Map;
import java.util.Objects;

/** How a segment ended: completed with its final metrics, or failed with a kind and a message. */
public sealed interface SegmentOutcome {

  /** The segment reached its target resource; {@code metrics} are those of that final report. */
  record Completed(long resource, Map<String, Double> metrics) implements SegmentOutcome {

    public Completed {
      metrics = Map.copyOf(metrics);
    }
  }

  record Failed(FailureKind kind, String message) implements SegmentOutcome {

    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  static SegmentOutcome completed(final Progress last) {
    return new Completed(last.resource(), last.metrics());
  }

  static SegmentOutcome failed(final FailureKind kind, final String message) {
    return new Failed(kind, message);
  }
}
