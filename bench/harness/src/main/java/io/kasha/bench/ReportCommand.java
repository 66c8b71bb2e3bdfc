package io.kasha.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kasha.cli.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kasha bench report}: runs the benchmarks, each in a JVM of its own so that one's heap and
 * threads do not skew another's figures, and writes {@code docs/benchmarks.md} with charts. The raw
 * JSON of every benchmark is kept beside it, so the page can be written again without measuring.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Run the scheduler, pipeline, share-group hand-off and simulation benchmarks and write DIR/benchmarks.md "
        + "(default docs/benchmarks.md) with tables, SVG charts, the machine, the versions, the command behind "
        + "every figure, and whether each target was met.",
        "",
        "Each benchmark runs in its own JVM, one after another, its progress shown on stderr; the whole run takes "
            + "several minutes (--quick: about one). The JSON results are kept in DIR/benchmarks/*.json; "
            + "--from-json writes the page again from them without measuring."})
public final class ReportCommand implements Callable<Integer> {

  /** The benchmarks of the report, with the arguments that produce the published figures. */
  enum Bench {
    SCHEDULER(List.of("bench", "scheduler", "--trials", "1000,10000,100000,1000000"),
        List.of("bench", "scheduler", "--trials", "1000,10000")),
    PIPELINE(List.of("bench", "pipeline", "--seconds", "30", "--warmup", "60"),
        List.of("bench", "pipeline", "--seconds", "10", "--warmup", "5")),
    PIPELINE_LATENCY(List.of("bench", "pipeline", "--studies", "4", "--seconds", "30", "--warmup", "60"),
        List.of("bench", "pipeline", "--studies", "4", "--seconds", "10", "--warmup", "5")),
    HANDOFF(List.of("bench", "handoff", "--records-per-poll", "1,32", "--warmup", "20", "--seconds", "20"),
        List.of("bench", "handoff", "--records-per-poll", "1,32", "--warmup", "2", "--seconds", "3")),
    SIM(List.of("bench", "sim", "--benchmark", "hartmann6", "--workers", "1,25,500",
        "--methods", "asha,sha,hyperband,random", "--seeds", "10"),
        List.of("bench", "sim", "--benchmark", "hartmann6", "--workers", "1,25,500",
            "--methods", "asha,sha,hyperband,random", "--seeds", "2"));

    final List<String> args;
    final List<String> quickArgs;

    Bench(final List<String> args, final List<String> quickArgs) {
      this.args = args;
      this.quickArgs = quickArgs;
    }

    String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "docs",
      description = "Where benchmarks.md and benchmarks/ go (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--only", paramLabel = "BENCH", split = ",",
      description = "Run only these, of scheduler, pipeline, pipeline_latency, handoff, sim (default: all); the others are taken from their "
          + "last JSON in DIR/benchmarks/ if there is one.")
  Set<Bench> only = EnumSet.allOf(Bench.class);

  @Option(names = "--quick", description = "Smaller sizes and shorter windows: a check that everything runs, "
      + "not figures to publish.")
  boolean quick;

  @Option(names = "--from-json", description = "Measure nothing: write the page from DIR/benchmarks/*.json.")
  boolean fromJson;

  @Override
  public Integer call() throws IOException, InterruptedException {
    final Path raw = dir.resolve("benchmarks");
    Files.createDirectories(raw);
    final Map<Bench, BenchReport.Section> sections = new LinkedHashMap<>();
    final List<Bench> failed = new ArrayList<>();
    for (final Bench bench : Bench.values()) {
      if (!fromJson && only.contains(bench)) {
        final List<String> args = quick ? bench.quickArgs : bench.args;
        Console.info("bench report: running kasha " + String.join(" ", args));
        final JsonNode result = runChild(args);
        if (result == null) {
          failed.add(bench);
          continue;
        }
        final ObjectNode saved = JSON.createObjectNode();
        saved.put("command", "kasha " + String.join(" ", args));
        saved.put("machine", BenchReport.machine());
        saved.put("measuredAt", java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
        saved.set("result", result);
        Files.writeString(raw.resolve(bench.key() + ".json"), JSON.writeValueAsString(saved));
      }
      final Path file = raw.resolve(bench.key() + ".json");
      if (Files.exists(file)) {
        final JsonNode saved = JSON.readTree(file.toFile());
        sections.put(bench, new BenchReport.Section(saved.get("command").asText(), saved.get("result"),
            saved.hasNonNull("machine") ? saved.get("machine").asText() : null,
            saved.hasNonNull("measuredAt") ? saved.get("measuredAt").asText() : null));
      }
    }
    if (sections.isEmpty()) {
      Console.error("bench report: no results to write (nothing measured and nothing in " + raw + ")");
      return 1;
    }
    final Path page = new BenchReport(dir).write(sections.get(Bench.SCHEDULER), sections.get(Bench.PIPELINE),
        sections.get(Bench.PIPELINE_LATENCY), sections.get(Bench.HANDOFF), sections.get(Bench.SIM));
    Console.info("bench report: wrote " + page);
    if (!failed.isEmpty()) {
      Console.error("bench report: these benchmarks failed and their section is from an earlier run or absent: "
          + failed);
      return 1;
    }
    return 0;
  }

  /**
   * Runs {@code kasha ARGS --json} in a new JVM with this one's class path; its stderr (progress)
   * passes through, and its stdout must be one JSON object. Returns null if it fails.
   */
  private static JsonNode runChild(final List<String> args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.kasha.schemas");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(io.kasha.cli.Kasha.class.getName());
    command.addAll(args);
    command.add("--json");
    final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final String out;
    try (InputStream stdout = process.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    final int exit = process.waitFor();
    try {
      final JsonNode result = JSON.readTree(out);
      if (result != null && result.isObject()) {
        if (exit != 0) {
          Console.error("bench report: kasha " + String.join(" ", args) + " exited with " + exit
              + "; its figures are reported as measured");
        }
        return result;
      }
    } catch (IOException notJson) {
      // reported below
    }
    Console.error("bench report: kasha " + String.join(" ", args) + " exited with " + exit
        + " and printed no JSON object");
    return null;
  }
}
