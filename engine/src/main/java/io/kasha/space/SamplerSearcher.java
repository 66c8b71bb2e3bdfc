package io.kasha.space;

import java.util.OptionalLong;

/** A history-free {@link Sampler} as a searcher: its draws with the inactive parameters left out. */
final class SamplerSearcher implements Searcher {

  private final SearchSpace space;
  private final Sampler sampler;
  private final String name;

  SamplerSearcher(final SearchSpace space, final Sampler sampler, final String name) {
    this.space = space;
    this.sampler = sampler;
    this.name = name;
  }

  @Override
  public Suggestion suggest(final long index, final History history) {
    return new Suggestion(space.activeOnly(sampler.sample(index)), name + " sampler");
  }

  @Override
  public boolean usesHistory() {
    return false;
  }

  @Override
  public OptionalLong size() {
    return sampler.size();
  }
}
