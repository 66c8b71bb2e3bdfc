package io.kasha.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasha.schemas.EventType;
import io.kasha.spec.Limits;
import io.kasha.spec.Problem;
import io.kasha.spec.StudyValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Any schema-valid study spec, of every tuning method and sampler, valid or not, is either rejected
 * with a study-rejected event that lists exactly the problems the scheduler's checks find (its limits
 * if the spec is over any, else the validator's, then the study id's), or accepted and then played to
 * its end by runners that answer with random results and failures: it ends (completed, out of time or
 * at its target) within {@link PlayedStudy#MAX_CALLS} engine calls, no call throws or emits more
 * than a batch of jobs, and nothing but released checkpoints follows its end. Prints, once, how many
 * specs were tried, accepted and ended, rejected, and the problems found most often.
 */
class FuzzedStudyProperties {

  private static final Pattern LIMIT = Pattern.compile("\\(limit ([a-z-]+)\\)");
  private static final Pattern VALID_STUDY_ID = Pattern.compile("[A-Za-z0-9._-]+");

  private static final AtomicLong TRIED = new AtomicLong();
  private static final AtomicLong CALLS = new AtomicLong();
  private static final AtomicLong JOBS = new AtomicLong();
  private static final AtomicLong MOST_CALLS = new AtomicLong();
  private static final Map<String, Long> ENDS = new ConcurrentHashMap<>();
  private static final Map<String, Long> ACCEPTED_BY_METHOD = new ConcurrentHashMap<>();
  private static final Map<String, Long> PROBLEM_KEYS = new ConcurrentHashMap<>();
  private static final long STARTED_NS = System.nanoTime();

  @Provide
  Arbitrary<FuzzCase> studies() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).withDistribution(RandomDistribution.uniform())
        .list().ofMinSize(100).ofMaxSize(250).map(FuzzCase::of);
  }

  @Property(tries = 5000)
  void everySpecIsRejectedWithItsProblemsOrRunsToItsEnd(@ForAll("studies") final FuzzCase fuzz)
      throws java.io.IOException {
    final List<Problem> specProblems = specProblems(fuzz);
    final boolean validId = idProblem(fuzz) == null && VALID_STUDY_ID.matcher(fuzz.studyId()).matches();

    final PlayedStudy played = new PlayedStudy(fuzz).play();

    if (specProblems.isEmpty() && validId) {
      assertThat(played.accepted()).as("a valid spec is accepted: %s", played.events()).isTrue();
      assertThat(played.status()).as("the study's end").isIn("COMPLETED", "TIME_BUDGET", "TARGET_REACHED");
      count(ACCEPTED_BY_METHOD, fuzz.spec().getScheduler().name().toLowerCase(Locale.ROOT));
      count(ENDS, played.status());
    } else {
      final List<String> expected = new ArrayList<>(Problem.messages(specProblems));
      assertThat(played.events()).as("the events of a rejected study").singleElement().satisfies(event -> {
        assertThat(event.getType()).isEqualTo(EventType.STUDY_REJECTED);
        assertThat(event.getProblems()).as("its problems").isNotEmpty();
        assertThat(event.getProblems().subList(0, Math.min(expected.size(), event.getProblems().size())))
            .as("the spec's problems, in order").containsExactlyElementsOf(expected);
        final List<String> rest = event.getProblems().subList(expected.size(), event.getProblems().size());
        if (validId) {
          assertThat(rest).as("problems beyond the spec's").isEmpty();
        } else {
          assertThat(rest).as("the study id's problem").singleElement().asString().startsWith("studyId: ");
        }
      });
      specProblems.forEach(problem -> count(PROBLEM_KEYS, keyOf(problem)));
      if (!validId) {
        count(PROBLEM_KEYS, "studyId");
      }
      count(ENDS, "rejected");
    }
    TRIED.incrementAndGet();
    CALLS.addAndGet(played.calls());
    JOBS.addAndGet(played.jobs());
    MOST_CALLS.accumulateAndGet(played.calls(), Math::max);
  }

  /** The spec's problems as the scheduler checks them: those over its limits alone, else the validator's. */
  private static List<Problem> specProblems(final FuzzCase fuzz) {
    final Limits limits = fuzz.limits();
    final List<Problem> overLimits = limits.check(fuzz.spec());
    return overLimits.isEmpty() ? StudyValidator.validate(fuzz.spec()) : overLimits;
  }

  private static Problem idProblem(final FuzzCase fuzz) {
    return fuzz.limits().checkStudyId(fuzz.studyId());
  }

  private static String keyOf(final Problem problem) {
    if (problem.key() != null) {
      return problem.key();
    }
    final Matcher limit = LIMIT.matcher(problem.message());
    return limit.find() ? "limit " + limit.group(1) : problem.message();
  }

  private static void count(final Map<String, Long> counts, final String key) {
    counts.merge(key, 1L, Long::sum);
  }

  @AfterContainer
  static void printFigures() {
    final long tried = TRIED.get();
    final long rejected = ENDS.getOrDefault("rejected", 0L);
    final StringBuilder out = new StringBuilder("\nFuzzed study specs: ").append(tried).append(" tried, ")
        .append(tried - rejected).append(" accepted and ended ").append(new TreeMap<>(withoutRejected()))
        .append(", ").append(rejected).append(" rejected\n")
        .append("  accepted by method: ").append(new TreeMap<>(ACCEPTED_BY_METHOD)).append('\n')
        .append("  most common problem keys: ");
    PROBLEM_KEYS.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
        .forEach(e -> out.append(e.getKey()).append(" (").append(e.getValue()).append(") "));
    out.append("\n  engine calls: ").append(CALLS.get()).append(" in all, at most ").append(MOST_CALLS.get())
        .append(" for one study; jobs played: ").append(JOBS.get()).append("; ")
        .append((System.nanoTime() - STARTED_NS) / 1_000_000).append(" ms\n");
    System.out.print(out);
  }

  private static Map<String, Long> withoutRejected() {
    final Map<String, Long> ends = new TreeMap<>(ENDS);
    ends.remove("rejected");
    return ends;
  }
}
