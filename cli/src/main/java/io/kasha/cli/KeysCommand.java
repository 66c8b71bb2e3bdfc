package io.kasha.cli;

import io.kasha.spec.StudyKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"List every key a study file may hold: its path, type and allowed values, default, the "
        + "methods that read it and what it does.",
        "With --method, only the keys a study with that scheduler or sampler reads; with --markdown, the "
            + "README's table."})
final class KeysCommand implements Callable<Integer> {

  @Option(names = "--method", paramLabel = "METHOD",
      description = "Only the keys this scheduler or sampler reads (asha, pbt, tpe, ...).")
  String method;

  @Option(names = "--markdown", description = "Print a Markdown table, as in README.md.")
  boolean markdown;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (method != null && !StudyKey.methodNames().contains(method)) {
      throw new ParameterException(spec.commandLine(), "unknown method '" + method + "' (allowed: "
          + String.join(", ", StudyKey.methodNames()) + ")");
    }
    final List<StudyKey> keys = method == null ? List.of(StudyKey.values()) : StudyKey.readBy(method);
    final PrintWriter out = spec.commandLine().getOut();
    out.print(markdown ? markdown(keys) : text(keys));
    out.flush();
    return 0;
  }

  /** The keys as a Markdown table: what the README shows between its keys markers. */
  static String markdown(final List<StudyKey> keys) {
    final StringBuilder table = new StringBuilder("| key | type | default | read by | what it does |\n"
        + "|---|---|---|---|---|\n");
    for (final StudyKey key : keys) {
      table.append("| `").append(key.path()).append("` | ").append(escape(type(key))).append(" | ")
          .append(escape(key.defaultText())).append(" | ").append(escape(methods(key))).append(" | ")
          .append(escape(key.doc())).append(" |\n");
    }
    return table.toString();
  }

  /** The keys as plain text, one key a line, in aligned columns. */
  static String text(final List<StudyKey> keys) {
    final int path = keys.stream().mapToInt(k -> k.path().length()).max().orElse(0);
    final int type = keys.stream().mapToInt(k -> type(k).length()).max().orElse(0);
    final int dflt = keys.stream().mapToInt(k -> k.defaultText().length()).max().orElse(0);
    final String format = "%-" + path + "s  %-" + type + "s  %-" + dflt + "s  %s%n";
    final StringBuilder text = new StringBuilder(String.format(format, "KEY", "TYPE", "DEFAULT", "READ BY / DOC"));
    for (final StudyKey key : keys) {
      text.append(String.format(format, key.path(), type(key), key.defaultText(), methods(key) + ": " + key.doc()));
    }
    return text.toString();
  }

  private static String type(final StudyKey key) {
    return key.allowed().isEmpty() ? key.type().toString()
        : key.type() == StudyKey.Type.CHOICE ? "one of " + key.allowed() : key.type() + ", " + key.allowed();
  }

  private static String methods(final StudyKey key) {
    return key.methods().isEmpty() ? "all"
        : String.join(", ", StudyKey.methodNames().stream().filter(key.methods()::contains).toList());
  }

  private static String escape(final String cell) {
    return cell.replace("|", "\\|");
  }
}
