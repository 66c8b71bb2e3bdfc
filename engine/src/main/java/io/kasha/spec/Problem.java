package io.kasha.spec;

import java.util.List;
import java.util.function.Function;

/**
 * One thing wrong with a study spec, as data: the key it is about and what is wrong. The message
 * names other keys as {@code {field}} (for example {@code "must be at least {minResource} (5) (got 3)"}),
 * so that it reads right both in spec terms ({@link #toString()}, as the scheduler reports it) and in
 * study-file terms ({@link #inFileTerms()}), without rewording text.
 *
 * @param key the {@link StudyKey#field() field} of the key the problem is about, or null if it is about
 *     the whole spec
 * @param item the element of a list or of the parameters the problem is about, or null for the key itself
 * @param message what is wrong, the value found and what is allowed
 */
public record Problem(String key, Item item, String message) {

  /**
   * An element of a list-valued key: its position and, for a parameter, its name; for an element
   * that is itself a mapping, the name of its entry ({@code pointsToEvaluate[1].lr}).
   */
  public record Item(int index, String name) {}

  public Problem {
    if (key != null && StudyKey.byField(key).isEmpty()) {
      throw new IllegalArgumentException("not a catalogued study key: " + key);
    }
  }

  public static Problem of(final StudyKey key, final String message) {
    return new Problem(key.field(), null, message);
  }

  public static Problem of(final StudyKey key, final int index, final String name, final String message) {
    return new Problem(key.field(), new Item(index, name), message);
  }

  /** The catalogued key the problem is about, if it is about one. */
  public java.util.Optional<StudyKey> studyKey() {
    return StudyKey.byField(key);
  }

  /** In spec terms: {@code "params[1] 'lr'.low: must be > 0 on a log scale (got 0.0)"}. */
  @Override
  public String toString() {
    return render(Problem::specTerm, specPath());
  }

  /** In study-file terms: {@code "search.params.lr.low: must be > 0 on a log scale (got 0.0)"}. */
  public String inFileTerms() {
    return render(Problem::fileTerm, filePath());
  }

  /** Each problem in spec terms, as a study-rejected event lists them. */
  public static List<String> messages(final List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  private String specPath() {
    final StudyKey k = studyKey().orElse(null);
    if (k == null) {
      return null;
    }
    if (k.perParam()) {
      return "params[" + item.index() + "] '" + item.name() + "'." + k.field();
    }
    return k.field() + itemSuffix();
  }

  private String filePath() {
    final StudyKey k = studyKey().orElse(null);
    if (k == null) {
      return null;
    }
    if (k.perParam()) {
      return k.path().replace(StudyKey.PARAM, item.name());
    }
    return k.path() + itemSuffix();
  }

  private String itemSuffix() {
    return item == null ? "" : "[" + item.index() + "]" + (item.name() == null ? "" : "." + item.name());
  }

  private String render(final Function<StudyKey, String> term, final String path) {
    final StringBuilder text = new StringBuilder(path == null ? "" : path + ": ");
    int from = 0;
    while (from < message.length()) {
      final int open = message.indexOf('{', from);
      final int close = open < 0 ? -1 : message.indexOf('}', open);
      final StudyKey ref = close < 0 ? null : StudyKey.byField(message.substring(open + 1, close)).orElse(null);
      if (ref == null) {
        final int end = open < 0 ? message.length() : open + 1;
        text.append(message, from, end);
        from = end;
      } else {
        text.append(message, from, open).append(term.apply(ref));
        from = close + 1;
      }
    }
    return text.toString();
  }

  /** A key named in a message, in spec terms: its field. */
  private static String specTerm(final StudyKey key) {
    return key.field();
  }

  /** A key named in a message, in file terms: its path, or a parameter's key by its own name. */
  private static String fileTerm(final StudyKey key) {
    return key.perParam() ? key.leaf() : key.path();
  }
}
