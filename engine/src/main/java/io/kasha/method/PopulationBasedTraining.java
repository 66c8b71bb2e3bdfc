package io.kasha.method;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasha.store.Keyspace;
import io.kasha.store.NamespacedStore;
import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Population based training (Jaderberg et al., "Population Based Training of Neural Networks",
 * 2017), asynchronous, as Ray Tune's {@code PopulationBasedTraining} runs it. A population of trials
 * trains in segments; whenever a trial reports at least {@code perturbation_interval} steps after its
 * last perturbation, the population is ranked by each trial's latest result. If the trial is in the
 * bottom {@code quantile_fraction} it <em>exploits</em> a trial drawn uniformly from the top quantile
 * (resumes from that donor's checkpoint) and <em>explores</em> the donor's hyperparameters: each
 * parameter of {@code hyperparam_mutations} is resampled with probability
 * {@code resample_probability}, otherwise multiplied by a factor drawn from
 * {@code perturbation_factors} (a list value moves one place left or right). A trial in the top or
 * middle continues. The quantile holds {@code round_half_even(n * quantile_fraction)} trials, at most
 * {@code floor(n / 2)}, over the n trials that have reported; with one trial there is nothing to do.
 * Ties rank the earlier result better; NaN and infinite results rank last.
 *
 * <p>Worked example, maximising, 4 trials, quantile 0.25 (one trial per quantile), interval 2: at step
 * 2 the latest results are a 0.9, b 0.5, c 0.7, d 0.1; when d reports it is the bottom one and copies
 * a; when a reports it continues (its checkpoint at step 2 is what others copy).
 *
 * <p>Study-file knobs: {@code perturbation_interval} (required, in resource units; checkpoints must be
 * on), {@code quantile_fraction} (default 0.25, in (0, 0.5]), {@code resample_probability} (default
 * 0.25), {@code perturbation_factors} (default [1.2, 0.8]), {@code hyperparam_mutations} (the
 * {@link PbtParam}s) and {@code seed} (default 0).
 *
 * <p>Determinism: the draws of the k-th exploit of a study come from a generator seeded by the seed
 * and k, so a study with the same results in the same order takes the same decisions, across restarts
 * too. Every trial's parameters, latest result, perturbation step, rank entry and lineage live in the
 * store. Not thread-safe.
 */
public final class PopulationBasedTraining {

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<LinkedHashMap<String, Object>> PARAMS = new TypeReference<>() {};

  private static final byte[] ARRIVALS = {'C'};
  private static final byte[] EXPLOITS = {'E'};
  private static final byte[] RANKED = {'N'};
  private static final byte PARAMS_TAG = 'P';
  private static final byte RANK = 'R';
  private static final byte STATE = 'S';
  private static final byte LINEAGE = 'G';

  private final OrderedStore store;
  private final Direction direction;
  private final long perturbationInterval;
  private final double quantileFraction;
  private final double resampleProbability;
  private final List<Double> perturbationFactors;
  private final List<PbtParam> mutations;
  private final long seed;

  /**
   * @throws IllegalArgumentException if {@code perturbationInterval < 1}, quantileFraction is outside
   *     (0, 0.5], resampleProbability outside [0, 1], or perturbationFactors is empty
   */
  public PopulationBasedTraining(
      final OrderedStore store, final String studyId, final Direction direction, final long perturbationInterval,
      final double quantileFraction, final double resampleProbability, final List<Double> perturbationFactors,
      final List<PbtParam> mutations, final long seed) {
    if (perturbationInterval < 1 || !(quantileFraction > 0 && quantileFraction <= 0.5)
        || !(resampleProbability >= 0 && resampleProbability <= 1) || perturbationFactors.isEmpty()) {
      throw new IllegalArgumentException("need perturbation_interval >= 1, quantile_fraction in (0, 0.5], "
          + "resample_probability in [0, 1] and at least one perturbation factor (got " + perturbationInterval + ", "
          + quantileFraction + ", " + resampleProbability + ", " + perturbationFactors + ")");
    }
    this.store = new NamespacedStore(store, studyId, Keyspace.PBT);
    this.direction = direction;
    this.perturbationInterval = perturbationInterval;
    this.quantileFraction = quantileFraction;
    this.resampleProbability = resampleProbability;
    this.perturbationFactors = List.copyOf(perturbationFactors);
    this.mutations = List.copyOf(mutations);
    this.seed = seed;
  }

  /** Ray Tune's defaults: quantile 0.25, resample probability 0.25, factors 1.2 and 0.8. */
  public static PopulationBasedTraining withDefaults(
      final OrderedStore store, final String studyId, final Direction direction, final long perturbationInterval,
      final List<PbtParam> mutations, final long seed) {
    return new PopulationBasedTraining(
        store, studyId, direction, perturbationInterval, 0.25, 0.25, List.of(1.2, 0.8), mutations, seed);
  }

  /** Adds a trial to the population with its sampled parameters; adding it again changes nothing. */
  public void addTrial(final String trialId, final Map<String, Object> params) {
    if (store.get(paramsKey(trialId)) == null) {
      store.put(paramsKey(trialId), json(params));
    }
  }

  /** The trial's current parameters: the sampled ones, or those of its latest exploit. */
  public Map<String, Object> params(final String trialId) {
    final byte[] value = store.get(paramsKey(trialId));
    if (value == null) {
      throw new IllegalArgumentException("trial " + trialId + " is not in the population: add it first");
    }
    try {
      return JSON.readValue(value, PARAMS);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Records trialId's result at step (resource units, increasing per trial) and answers whether it
   * continues or exploits another trial. A result at a step not after the trial's latest changes
   * nothing.
   *
   * @throws IllegalArgumentException if the trial was not added
   */
  public PbtDecision record(final String trialId, final long step, final double metric) {
    final Map<String, Object> params = params(trialId);
    final TrialState before = state(trialId);
    if (before != null && step <= before.latestStep()) {
      return new PbtDecision.Continue("already recorded up to step " + before.latestStep());
    }
    final long lastPerturbation = before == null ? 0 : before.lastPerturbation();
    final byte[] entry = RungKeys.entry(RungKeys.score(direction.loss(metric)), next(ARRIVALS), trialId);
    if (before == null) {
      store.put(RANKED, RungKeys.longValue(RungKeys.longOf(store.get(RANKED)) + 1));
    } else {
      store.delete(rankKey(before.entry()));
    }
    store.put(rankKey(entry), new byte[0]);
    if (step - lastPerturbation < perturbationInterval) {
      putState(trialId, new TrialState(metric, lastPerturbation, step, entry));
      return new PbtDecision.Continue("step " + step + " is within the perturbation interval "
          + perturbationInterval + " after step " + lastPerturbation);
    }
    putState(trialId, new TrialState(metric, step, step, entry));
    final long n = RungKeys.longOf(store.get(RANKED));
    final long quantile = quantileSize(n);
    final List<String> top = walk(quantile, true);
    if (top.contains(trialId)) {
      return new PbtDecision.Continue("top " + quantile + " of " + n + " at step " + step + ": keeps training");
    }
    if (!walk(quantile, false).contains(trialId)) {
      return new PbtDecision.Continue("neither top nor bottom " + quantile + " of " + n + " at step " + step);
    }
    return exploit(trialId, step, metric, params, top);
  }

  /** The trial's exploits, oldest first: its lineage. */
  public List<PbtDecision.Exploit> lineage(final String trialId) {
    final List<PbtDecision.Exploit> exploits = new ArrayList<>();
    final byte[] start = lineageKey(trialId, 0);
    final byte[] end = RungKeys.after(lineageKey(trialId, Long.MAX_VALUE));
    OrderedStore.Entry entry = store.first(start, end);
    while (entry != null) {
      try {
        exploits.add(JSON.readValue(entry.value(), PbtDecision.Exploit.class));
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      entry = store.first(RungKeys.after(entry.key()), end);
    }
    return exploits;
  }

  /** {@code round_half_even(n * quantile_fraction)}, at most {@code floor(n / 2)}: Ray Tune's quantile size. */
  long quantileSize(final long n) {
    final long size = (long) Math.rint(n * quantileFraction);
    return Math.min(size, n / 2);
  }

  private PbtDecision exploit(
      final String trialId, final long step, final double metric, final Map<String, Object> params,
      final List<String> top) {
    final long ordinal = next(EXPLOITS);
    final SplittableRandom random = new SplittableRandom(seed ^ (ordinal * 0x9E3779B97F4A7C15L));
    final String donor = top.get(random.nextInt(top.size()));
    final TrialState donorState = state(donor);
    final Map<String, Object> newParams = params(donor);
    final Map<String, String> operations = new LinkedHashMap<>();
    for (final PbtParam mutation : mutations) {
      explore(mutation, newParams, operations, random);
    }
    final PbtDecision.Exploit exploit = new PbtDecision.Exploit(trialId, step, metric, donor,
        donorState.latestStep(), donorState.metric(), params, newParams, operations);
    store.put(paramsKey(trialId), json(newParams));
    final TrialState mine = state(trialId);
    putState(trialId, new TrialState(mine.metric(), donorState.lastPerturbation(), donorState.latestStep(),
        mine.entry()));
    store.put(lineageKey(trialId, ordinal), json(exploit));
    return exploit;
  }

  private void explore(
      final PbtParam mutation, final Map<String, Object> params, final Map<String, String> operations,
      final SplittableRandom random) {
    final String name = mutation.name();
    final Object value = params.get(name);
    if (mutation instanceof PbtParam.Choices choices) {
      final List<Object> values = choices.values();
      final int index = value == null ? -1 : values.indexOf(value);
      if (random.nextDouble() < resampleProbability || index < 0) {
        params.put(name, values.get(random.nextInt(values.size())));
        operations.put(name, "resample");
      } else {
        final int shift = random.nextBoolean() ? 1 : -1;
        final int moved = Math.min(Math.max(index + shift, 0), values.size() - 1);
        params.put(name, values.get(moved));
        operations.put(name, "shift " + (shift < 0 ? "left" : "right") + (moved == index ? " (noop)" : ""));
      }
      return;
    }
    final PbtParam.Range range = (PbtParam.Range) mutation;
    if (random.nextDouble() < resampleProbability || !(value instanceof Number)) {
      params.put(name, typed(range, sample(range, random)));
      operations.put(name, "resample");
    } else {
      final double factor = perturbationFactors.get(random.nextInt(perturbationFactors.size()));
      final double perturbed = Math.min(Math.max(((Number) value).doubleValue() * factor, range.low()), range.high());
      params.put(name, typed(range, perturbed));
      operations.put(name, "* " + factor);
    }
  }

  private static double sample(final PbtParam.Range range, final SplittableRandom random) {
    if (range.integer()) {
      final long low = (long) Math.ceil(range.low());
      final long high = (long) Math.floor(range.high());
      return range.log()
          ? Math.min(high, Math.floor(Math.exp(random.nextDouble(Math.log(low), Math.log(high + 1.0)))))
          : low + random.nextLong(high - low + 1);
    }
    if (range.low() == range.high()) {
      return range.low();
    }
    return range.log()
        ? Math.exp(random.nextDouble(Math.log(range.low()), Math.log(range.high())))
        : random.nextDouble(range.low(), range.high());
  }

  private static Object typed(final PbtParam.Range range, final double value) {
    return range.integer() ? (Object) (long) value : (Object) value;
  }

  /** The trial ids of the best (or worst) {@code count} ranked trials. */
  private List<String> walk(final long count, final boolean best) {
    final List<String> trials = new ArrayList<>();
    final byte[] start = {RANK};
    final byte[] end = {RANK + 1};
    OrderedStore.Entry entry = best ? store.first(start, end) : store.last(start, end);
    while (entry != null && trials.size() < count) {
      trials.add(RungKeys.trialIdOf(Arrays.copyOfRange(entry.key(), 1, entry.key().length)));
      entry = best ? store.first(RungKeys.after(entry.key()), end) : store.last(start, entry.key());
    }
    return trials;
  }

  private long next(final byte[] counterKey) {
    final long value = RungKeys.longOf(store.get(counterKey));
    store.put(counterKey, RungKeys.longValue(value + 1));
    return value;
  }

  private TrialState state(final String trialId) {
    final byte[] value = store.get(stateKey(trialId));
    return value == null ? null : TrialState.decode(value);
  }

  private void putState(final String trialId, final TrialState state) {
    store.put(stateKey(trialId), state.encode());
  }

  private static byte[] json(final Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (final JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value + " as JSON", e);
    }
  }

  private static byte[] paramsKey(final String trialId) {
    return tagged(PARAMS_TAG, trialId.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] stateKey(final String trialId) {
    return tagged(STATE, trialId.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] rankKey(final byte[] entry) {
    return tagged(RANK, entry);
  }

  private static byte[] lineageKey(final String trialId, final long ordinal) {
    final byte[] id = trialId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + Integer.BYTES + id.length + Long.BYTES)
        .put(LINEAGE).putInt(id.length).put(id).putLong(ordinal).array();
  }

  private static byte[] tagged(final byte tag, final byte[] rest) {
    return ByteBuffer.allocate(1 + rest.length).put(tag).put(rest).array();
  }

  /** A trial's latest result, the step of its last perturbation, its latest step, and its rank entry. */
  private record TrialState(double metric, long lastPerturbation, long latestStep, byte[] entry) {

    static TrialState decode(final byte[] bytes) {
      final ByteBuffer buffer = ByteBuffer.wrap(bytes);
      final double metric = buffer.getDouble();
      final long lastPerturbation = buffer.getLong();
      final long latestStep = buffer.getLong();
      final byte[] entry = new byte[buffer.remaining()];
      buffer.get(entry);
      return new TrialState(metric, lastPerturbation, latestStep, entry);
    }

    byte[] encode() {
      return ByteBuffer.allocate(Double.BYTES + 2 * Long.BYTES + entry.length)
          .putDouble(metric).putLong(lastPerturbation).putLong(latestStep).put(entry).array();
    }
  }
}
