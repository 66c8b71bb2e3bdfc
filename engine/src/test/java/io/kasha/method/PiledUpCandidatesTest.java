package io.kasha.method;

import io.kasha.store.InMemoryOrderedStore;
import io.kasha.store.OrderedStore;
import io.kasha.store.RungKeys;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The candidates a rung keeps in its state (how many, and the best) against a brute-force reference,
 * when reports outnumber decisions so that candidates pile up and leave best first, and when the rung
 * state was stored in the earlier encoding that kept no candidates.
 */
class PiledUpCandidatesTest {

  @Test
  void everyDecisionMatchesTheReferenceWhileCandidatesPileUp() {
    for (int seed = 0; seed < 200; seed++) {
      // given a random study shape, and reports that come faster than decisions
      final Study study = new Study(new Random(seed), new InMemoryOrderedStore());
      // when / then
      study.run(400, "seed " + seed);
      assertThat(study.mostCandidatesSeen).as("seed %d", seed).isGreaterThan(1);
    }
  }

  @Test
  void aRungStateInTheEarlierEncodingGetsItsCandidatesCounted() {
    for (int seed = 0; seed < 100; seed++) {
      // given a study halfway through, whose rung states are rewritten as the earlier version wrote them
      final Study study = new Study(new Random(seed), new InMemoryOrderedStore());
      study.run(200, "seed " + seed + ", before");
      final RungKeys keys = new RungKeys(Study.ID);
      for (int rung = 0; rung < study.schedule.size(); rung++) {
        final RungState state = RungState.decode(study.store.get(keys.meta(rung)));
        final byte[] earlier = earlierEncoding(state);
        study.store.put(keys.meta(rung), earlier);
        assertThat(RungState.decode(earlier).candidatesKnown()).isFalse();
      }
      // when a fresh policy carries on over that store, then it decides as the reference does
      study.policy = new AshaPolicy(study.store, Study.ID, study.schedule, study.eta, study.direction);
      study.run(200, "seed " + seed + ", after");
    }
  }

  /** Results, promoted, then the cut-off's bytes (none while it is null). */
  private static byte[] earlierEncoding(final RungState state) {
    final byte[] cutoff = state.cutoff() == null ? new byte[0] : state.cutoff();
    return ByteBuffer.allocate(2 * Long.BYTES + cutoff.length)
        .putLong(state.results()).putLong(state.promoted()).put(cutoff).array();
  }

  /** A study whose jobs complete in random order, with a decision after only some of the reports. */
  private static final class Study {
    static final String ID = "study";

    private record Job(String trialId, int rung) {}

    final Random random;
    final OrderedStore store;
    final RungSchedule schedule;
    final int eta;
    final Direction direction;
    final ReferenceAsha reference;
    final List<Job> pending = new ArrayList<>();
    AshaPolicy policy;
    int created;
    long mostCandidatesSeen;

    Study(final Random random, final OrderedStore store) {
      this.random = random;
      this.store = store;
      this.eta = 2 + random.nextInt(3);
      this.schedule = RungSchedule.of(1, 1 + random.nextInt(100), eta, 0);
      this.direction = random.nextBoolean() ? Direction.MINIMIZE : Direction.MAXIMIZE;
      this.reference = new ReferenceAsha(schedule, eta, direction);
      this.policy = new AshaPolicy(store, ID, schedule, eta, direction);
    }

    void run(final int operations, final String context) {
      for (int i = 0; i < operations; i++) {
        if (random.nextInt(10) < 7) {
          report();
        } else {
          decide(context);
        }
        mostCandidatesSeen = Math.max(mostCandidatesSeen, candidates());
      }
    }

    private void report() {
      final Job job = pending.isEmpty() || random.nextBoolean()
          ? new Job("trial-" + created++, 0) : pending.remove(random.nextInt(pending.size()));
      final double metric = roughResult();
      policy.record(job.rung(), job.trialId(), metric);
      reference.record(job.rung(), job.trialId(), metric);
    }

    private void decide(final String context) {
      final Optional<AshaPromotion> promotion = policy.nextPromotion();
      assertThat(promotion).as(context).isEqualTo(reference.next());
      promotion.ifPresent(p -> {
        policy.markPromoted(p);
        reference.promote(p.fromRung(), p.trialId());
        pending.add(new Job(p.trialId(), p.toRung()));
      });
    }

    private long candidates() {
      final RungKeys keys = new RungKeys(ID);
      long candidates = 0;
      for (int rung = 0; rung < schedule.size(); rung++) {
        candidates += Math.max(0, RungState.decode(store.get(keys.meta(rung))).candidates());
      }
      return candidates;
    }

    private double roughResult() {
      final int draw = random.nextInt(100);
      if (draw < 4) {
        return Double.NaN;
      }
      if (draw < 6) {
        return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      }
      return (random.nextInt(24) - 12) / 4.0;
    }
  }
}
