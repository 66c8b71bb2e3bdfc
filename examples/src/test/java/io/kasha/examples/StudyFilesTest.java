package io.kasha.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kasha.benchmark.BenchmarkFunction;
import io.kasha.examples.benchmark.Benchmarks;
import io.kasha.examples.mlp.MlpObjective;
import io.kasha.schemas.ParamSpec;
import io.kasha.schemas.SchedulerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example study files name entrypoints and parameters that the example programs really have.
 */
class StudyFilesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void quickstartTunesTheBundledObjectiveOnItsOwnParameters() throws IOException {
    final JsonNode study = read("quickstart.yaml");

    assertThat(study.get("entrypoint").asText()).isEqualTo(MlpObjective.NAME);
    assertThat(fieldNames(study.get("search").get("params")))
        .containsExactlyInAnyOrder("learning_rate", "momentum", "weight_decay");
    assertThat(study.get("objective").get("metric").asText()).isEqualTo("val_loss");
    assertThat(study.get("scheduler").get("resource").get("max").asInt()).isEqualTo(27);
  }

  @Test
  void pythonStudyNamesTheEntrypointDeclaredBesideIt() throws IOException {
    final JsonNode study = read("python/study.yaml");
    final JsonNode entrypoints = read("python/entrypoints.yaml").get("entrypoints");

    final JsonNode entrypoint = entrypoints.get(study.get("entrypoint").asText());
    assertThat(entrypoint).isNotNull();
    assertThat(entrypoint.get("argv").get(1).asText()).isEqualTo("train.py");
    assertThat(fieldNames(study.get("search").get("params")))
        .containsExactlyInAnyOrder("learning_rate", "l2");
  }

  @Test
  void everyBenchmarkFunctionHasAStudyThatSearchesItsWholeDomainUpToItsMaximumResource() throws IOException {
    final List<String> files;
    try (Stream<Path> listing = Files.list(Path.of("benchmarks"))) {
      files = listing.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".yaml")).toList();
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(
        Benchmarks.names().stream().map(name -> name + ".yaml").toList());

    for (final String name : Benchmarks.names()) {
      final String file = "benchmarks/" + name + ".yaml";
      final JsonNode study = read(file);
      final BenchmarkFunction function = Benchmarks.named(name);
      final JsonNode params = study.get("search").get("params");
      final JsonNode resource = study.get("scheduler").get("resource");

      assertThat(study.get("entrypoint").asText()).as(file).isEqualTo(Benchmarks.entrypoint(name));
      assertThat(study.get("objective").get("metric").asText()).as(file).isEqualTo(Benchmarks.metric(name));
      assertThat(study.get("objective").get("mode").asText()).as(file).isEqualTo("min");
      assertThat(fieldNames(params)).as(file)
          .containsExactlyElementsOf(function.params().stream().map(ParamSpec::getName).toList());
      for (final ParamSpec param : function.params()) {
        final JsonNode range = params.get(param.getName());
        final String what = file + " " + param.getName();
        assertThat(range.get("type").asText()).as(what).isEqualTo(param.getType().name().toLowerCase(Locale.ROOT));
        assertThat(range.get("low").asDouble()).as(what).isEqualTo(param.getLow());
        assertThat(range.get("high").asDouble()).as(what).isEqualTo(param.getHigh());
        assertThat(range.path("log").asBoolean(false)).as(what).isEqualTo(param.getLog());
      }
      assertThat(resource.get("max").asLong()).as(file).isEqualTo(function.defaultMaxResource());
      assertThat(resource.get("min").asLong()).as(file).isEqualTo(function.defaultMinResource());
    }
  }

  @Test
  void everySchedulingMethodHasOneStudyOnAnObjectiveThatReportsItsMetrics() throws IOException {
    final List<String> methods = new ArrayList<>();
    try (Stream<Path> listing = Files.list(Path.of("methods"))) {
      for (final Path file : listing.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        final JsonNode study = read("methods/" + file.getFileName());
        final String method = study.get("scheduler").get("method").asText();
        methods.add(method);
        assertThat(file.getFileName().toString()).isEqualTo(method.replace('_', '-') + ".yaml");
        final String entrypoint = study.get("entrypoint").asText();
        final List<String> metrics = new ArrayList<>();
        study.path("objectives").forEach(o -> metrics.add(o.get("metric").asText()));
        if (study.has("objective")) {
          metrics.add(study.get("objective").get("metric").asText());
        }
        if (entrypoint.equals(MlpObjective.NAME)) {
          assertThat(List.of(MlpObjective.VAL_LOSS, "val_accuracy")).as(method).containsAll(metrics);
          assertThat(List.of("learning_rate", "momentum", "weight_decay")).as(method)
              .containsAll(fieldNames(study.get("search").get("params")));
        } else {
          final String name = entrypoint.substring("bench-".length());
          assertThat(metrics).as(method).containsExactly(Benchmarks.metric(name));
          assertThat(fieldNames(study.get("search").get("params"))).as(method).containsExactlyElementsOf(
              Benchmarks.named(name).params().stream().map(ParamSpec::getName).toList());
        }
      }
    }
    assertThat(methods).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(SchedulerKind.values())
        .map(kind -> kind.name().toLowerCase(Locale.ROOT)).toList());
  }

  private static JsonNode read(final String file) throws IOException {
    return YAML.readTree(Path.of(file).toFile());
  }

  private static List<String> fieldNames(final JsonNode node) {
    final List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
