package io.kasha.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kasha.examples.mlp.MlpObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  private static JsonNode read(final String file) throws IOException {
    return YAML.readTree(Path.of(file).toFile());
  }

  private static List<String> fieldNames(final JsonNode node) {
    final List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
