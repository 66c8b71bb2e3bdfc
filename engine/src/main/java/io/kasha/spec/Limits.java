package io.kasha.spec;

import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.StudySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scheduler's limits on what one study may ask of it, so that no schema-valid study can make it do
 * unbounded work or hold unbounded state: the defaults are sized for a 2-core scheduler beside other
 * studies; an operator raises or lowers them by name ({@code kasha scheduler --limit parallelism=20000}).
 * A study over a limit is rejected with the limit and the value, before anything else of it is checked.
 *
 * @param parallelism the most jobs one study runs at once
 * @param trials the most trials one study may create ({@code maxTrials}, also when extended)
 * @param params the most parameters in a search space
 * @param choices the most choices of one categorical parameter
 * @param specBytes the most bytes of a study spec, Avro-encoded
 * @param nameLength the most characters of a name: the study's, its metric's, entrypoint's, resource's,
 *     each parameter's and objective's
 * @param idLength the most characters of a study id
 * @param batch the most decisions (a job issued, a trial's checkpoints released) one record or one
 *     punctuation makes; the rest continue at the next punctuation, so the largest study costs a
 *     transaction what a small one does
 */
public record Limits(int parallelism, int trials, int params, int choices, int specBytes, int nameLength,
    int idLength, int batch) {

  public static final Limits DEFAULTS = new Limits(10_000, 1_000_000, 100, 10_000, 256 * 1024, 200, 200, 1_000);

  public Limits {
    for (final Map.Entry<String, Integer> limit : values(parallelism, trials, params, choices, specBytes, nameLength,
        idLength, batch).entrySet()) {
      if (limit.getValue() < 1) {
        throw new IllegalArgumentException("limit " + limit.getKey() + " must be at least 1 (got " + limit.getValue()
            + ")");
      }
    }
  }

  /** The limits by their names, as {@code --limit NAME=VALUE} takes them. */
  public Map<String, Integer> byName() {
    return values(parallelism, trials, params, choices, specBytes, nameLength, idLength, batch);
  }

  private static Map<String, Integer> values(final int parallelism, final int trials, final int params,
      final int choices, final int specBytes, final int nameLength, final int idLength, final int batch) {
    final Map<String, Integer> values = new LinkedHashMap<>();
    values.put("parallelism", parallelism);
    values.put("trials", trials);
    values.put("params", params);
    values.put("choices", choices);
    values.put("spec-bytes", specBytes);
    values.put("name-length", nameLength);
    values.put("id-length", idLength);
    values.put("batch", batch);
    return values;
  }

  /**
   * These limits with {@code changes} (name to value) applied.
   *
   * @throws IllegalArgumentException naming the limit and the allowed names or values
   */
  public Limits with(final Map<String, String> changes) {
    final Map<String, Integer> values = byName();
    for (final Map.Entry<String, String> change : changes.entrySet()) {
      final String name = change.getKey().trim().toLowerCase(Locale.ROOT);
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException("unknown limit '" + change.getKey() + "' (allowed: "
            + String.join(", ", values.keySet()) + ")");
      }
      try {
        values.put(name, Integer.parseInt(change.getValue().trim().replace("_", "")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("limit " + name + ": must be a whole number from 1 to "
            + Integer.MAX_VALUE + " (got '" + change.getValue() + "')");
      }
    }
    return new Limits(values.get("parallelism"), values.get("trials"), values.get("params"), values.get("choices"),
        values.get("spec-bytes"), values.get("name-length"), values.get("id-length"), values.get("batch"));
  }

  /** Every limit the spec is over, each naming its key, the value and the limit; empty if none. */
  public List<Problem> check(final StudySpec spec) {
    final List<Problem> problems = new ArrayList<>();
    final int bytes = encodedSize(spec);
    if (bytes > specBytes) {
      problems.add(new Problem(null, null, "the spec is " + bytes + " bytes encoded, over the scheduler's limit of "
          + specBytes + " (limit spec-bytes)"));
    }
    over(problems, StudyKey.PARALLELISM, spec.getParallelism(), parallelism, "parallelism");
    over(problems, StudyKey.MAX_TRIALS, spec.getMaxTrials(), trials, "trials");
    final List<ParamSpec> paramList = spec.getParams() == null ? List.of() : spec.getParams();
    over(problems, StudyKey.PARAMS, paramList.size(), params, "params");
    name(problems, StudyKey.NAME, spec.getName());
    name(problems, StudyKey.METRIC, spec.getMetric());
    name(problems, StudyKey.ENTRYPOINT, spec.getEntrypoint());
    name(problems, StudyKey.RESOURCE_NAME, spec.getResourceName());
    for (int i = 0; i < Math.min(paramList.size(), params); i++) {
      final ParamSpec param = paramList.get(i);
      final String paramName = param.getName() == null ? "" : param.getName();
      if (paramName.length() > nameLength) {
        problems.add(Problem.of(StudyKey.PARAMS, i, "name", "a name of " + paramName.length()
            + " characters is over the scheduler's limit of " + nameLength + " (limit name-length)"));
      }
      final int count = param.getChoices() == null ? 0 : param.getChoices().size();
      if (count > choices) {
        problems.add(Problem.of(StudyKey.PARAM_CHOICES, i, shortened(paramName), count
            + " choices are over the scheduler's limit of " + choices + " (limit choices)"));
      }
    }
    return List.copyOf(problems);
  }

  /** The problem with a study id over {@link #idLength}, or null. */
  public Problem checkStudyId(final String studyId) {
    return studyId.length() <= idLength ? null : new Problem(null, null, "studyId: " + studyId.length()
        + " characters are over the scheduler's limit of " + idLength + " (limit id-length)");
  }

  /** The problem with an extension's trial budget over {@link #trials}, or null. */
  public Problem checkTrials(final int maxTrials) {
    return over(StudyKey.MAX_TRIALS, maxTrials, trials, "trials");
  }

  private static void over(final List<Problem> problems, final StudyKey key, final long value, final long limit,
      final String name) {
    final Problem problem = over(key, value, limit, name);
    if (problem != null) {
      problems.add(problem);
    }
  }

  private static Problem over(final StudyKey key, final long value, final long limit, final String name) {
    return value <= limit ? null
        : Problem.of(key, value + " is over the scheduler's limit of " + limit + " (limit " + name + ")");
  }

  private void name(final List<Problem> problems, final StudyKey key, final String value) {
    if (value != null && value.length() > nameLength) {
      problems.add(Problem.of(key, "a name of " + value.length() + " characters is over the scheduler's limit of "
          + nameLength + " (limit name-length)"));
    }
  }

  private String shortened(final String name) {
    return name.length() <= nameLength ? name : name.substring(0, nameLength) + "...";
  }

  private static int encodedSize(final StudySpec spec) {
    try {
      return spec.toByteBuffer().remaining();
    } catch (java.io.IOException | RuntimeException e) {
      // a spec the encoder cannot write (a required field left null) is the validator's to report
      return 0;
    }
  }
}
