package io.kasha.method;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource levels of the rungs, strictly increasing: rung k trains a trial up to
 * {@code resource(k)}. The last rung is the maximum resource, where a trial is complete.
 */
public record RungSchedule(List<Long> resources) {

  public RungSchedule {
    resources = List.copyOf(resources);
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("a schedule needs at least one rung");
    }
    long previous = 0;
    for (final long resource : resources) {
      if (resource <= previous) {
        throw new IllegalArgumentException("rung resources must be positive and increasing: " + resources);
      }
      previous = resource;
    }
  }

  /**
   * The rungs {@code r_k = minResource * eta^(k + earlyStoppingRate)} for every k >= 0 with
   * {@code r_k < maxResource}, then {@code maxResource} itself as the top rung. For example
   * {@code (1, 27, 3, 0)} gives 1, 3, 9, 27; {@code (1, 100, 3, 0)} gives 1, 3, 9, 27, 81, 100;
   * {@code (1, 27, 3, 1)} gives 3, 9, 27.
   *
   * @throws IllegalArgumentException if {@code minResource < 1}, {@code eta < 2},
   *     {@code earlyStoppingRate < 0} or {@code minResource * eta^earlyStoppingRate > maxResource}
   */
  public static RungSchedule of(
      final long minResource, final long maxResource, final int eta, final int earlyStoppingRate) {
    if (minResource < 1 || eta < 2 || earlyStoppingRate < 0) {
      throw new IllegalArgumentException("need minResource >= 1, eta >= 2 and earlyStoppingRate >= 0 (got "
          + minResource + ", " + eta + ", " + earlyStoppingRate + ")");
    }
    long resource = minResource;
    boolean tooLarge = resource > maxResource;
    for (int i = 0; i < earlyStoppingRate && !tooLarge; i++) {
      tooLarge = resource > maxResource / eta;
      resource *= eta;
    }
    if (tooLarge || resource > maxResource) {
      throw new IllegalArgumentException("minResource * eta^earlyStoppingRate exceeds maxResource (got "
          + minResource + " * " + eta + "^" + earlyStoppingRate + " > " + maxResource + ")");
    }
    final List<Long> resources = new ArrayList<>();
    while (resource < maxResource) {
      resources.add(resource);
      if (resource > maxResource / eta) {
        break;
      }
      resource *= eta;
    }
    resources.add(maxResource);
    return new RungSchedule(resources);
  }

  public int size() {
    return resources.size();
  }

  public long resource(final int rung) {
    return resources.get(rung);
  }

  public int topRung() {
    return resources.size() - 1;
  }
}
