package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.entrypoint.Entrypoint;
import io.kasha.objective.HalvingObjective;
import io.kasha.objective.Objective;
import io.kasha.objective.ObjectiveEntrypoint;
import io.kasha.objective.TrialContext;
import io.kasha.process.ProcessEntrypoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntrypointRegistryTest {

  @TempDir Path folder;

  @Test
  void loadsAProcessEntrypointWithAllItsFields() throws Exception {
    Files.createDirectories(folder.resolve("models/mlp"));
    final Path file = write("""
        entrypoints:
          python-mlp:
            argv: [python3, train.py, --fast]
            workdir: models/mlp
            env: {PYTHONUNBUFFERED: "1", THREADS: 4}
            timeout: 30m
        """);

    final ProcessEntrypoint mlp = process(EntrypointRegistry.load(file), "python-mlp");

    assertThat(mlp.argv()).containsExactly("python3", "train.py", "--fast");
    assertThat(mlp.workdir()).isEqualTo(folder.resolve("models/mlp"));
    assertThat(mlp.environment()).isEqualTo(Map.of("PYTHONUNBUFFERED", "1", "THREADS", "4"));
    assertThat(mlp.timeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void defaultsToTheFilesFolderNoExtraEnvironmentAndOneHour() throws Exception {
    final Path file = write("entrypoints:\n  simple:\n    argv: [./train]\n");

    final ProcessEntrypoint simple = process(EntrypointRegistry.load(file), "simple");

    assertThat(simple.workdir()).isEqualTo(folder);
    assertThat(simple.environment()).isEmpty();
    assertThat(simple.timeout()).isEqualTo(EntrypointRegistry.DEFAULT_TIMEOUT).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void resolvesTheWorkdirAgainstTheFilesFolderNotTheCurrentDirectory() throws Exception {
    Files.createDirectories(folder.resolve("conf"));
    Files.createDirectories(folder.resolve("code"));
    final Path file = folder.resolve("conf/entrypoints.yaml");
    Files.writeString(file, "entrypoints:\n  a:\n    argv: [x]\n    workdir: ../code\n  b:\n    argv: [y]\n");

    final EntrypointRegistry registry = EntrypointRegistry.load(file);

    assertThat(process(registry, "a").workdir()).isEqualTo(folder.resolve("code"));
    assertThat(process(registry, "b").workdir()).isEqualTo(folder.resolve("conf"));
  }

  @Test
  void acceptsIsoTimeouts() throws Exception {
    final Path file = write("entrypoints:\n  a:\n    argv: [x]\n    timeout: PT1H30M\n");

    assertThat(process(EntrypointRegistry.load(file), "a").timeout()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void addsTheObjectivesFoundByServiceLoader() throws Exception {
    final Path file = write("entrypoints:\n  a:\n    argv: [x]\n");

    final EntrypointRegistry registry = EntrypointRegistry.load(file);

    assertThat(registry.names()).containsExactly("a", HalvingObjective.NAME);
    assertThat(registry.find(HalvingObjective.NAME)).get().isInstanceOf(ObjectiveEntrypoint.class);
    assertThat(EntrypointRegistry.discover().names()).containsExactly(HalvingObjective.NAME);
  }

  @Test
  void findsNothingForAnUnknownName() throws Exception {
    final EntrypointRegistry registry = EntrypointRegistry.load(write("entrypoints:\n  a:\n    argv: [x]\n"));

    assertThat(registry.find("rm -rf /")).isEmpty();
  }

  @Test
  void anEmptyFileRegistersOnlyTheObjectives() throws Exception {
    assertThat(EntrypointRegistry.load(write(""), List.of()).names()).isEmpty();
    assertThat(EntrypointRegistry.load(write("entrypoints:\n"), List.of()).names()).isEmpty();
  }

  @Test
  void refusesAnEntryNamedLikeAnObjective() throws Exception {
    final Path file = write("entrypoints:\n  " + HalvingObjective.NAME + ":\n    argv: [x]\n");

    assertThatThrownBy(() -> EntrypointRegistry.load(file))
        .isInstanceOf(EntrypointRegistryException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'" + HalvingObjective.NAME + "'")
        .hasMessageContaining(HalvingObjective.class.getName());
  }

  @Test
  void refusesTwoObjectivesOfTheSameName() throws Exception {
    final Path file = write("");

    assertThatThrownBy(() -> EntrypointRegistry.load(file, List.of(new HalvingObjective(), new Named(HalvingObjective.NAME))))
        .isInstanceOf(EntrypointRegistryException.class)
        .hasMessageContaining("both named '" + HalvingObjective.NAME + "'");
  }

  @Test
  void namesTheFileTheEntryAndTheFieldInErrors() throws Exception {
    assertError("entrypoints:\n  mlp:\n    workdir: .\n", "entrypoint 'mlp', field 'argv': is required");
    assertError("entrypoints:\n  mlp:\n    argv: []\n", "entrypoint 'mlp', field 'argv': must be a non-empty list");
    assertError("entrypoints:\n  mlp:\n    argv: python3 train.py\n", "entrypoint 'mlp', field 'argv': must be a non-empty list");
    assertError("entrypoints:\n  mlp:\n    argv: [python3, [a]]\n", "entrypoint 'mlp', field 'argv': element 1 must be a string");
    assertError("entrypoints:\n  mlp:\n    argv: [\"\"]\n", "entrypoint 'mlp', field 'argv': the first element must name a program");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    workdir: missing\n", "entrypoint 'mlp', field 'workdir':");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    timeout: 30\n", "entrypoint 'mlp', field 'timeout': must be a duration");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    timeout: soon\n", "entrypoint 'mlp', field 'timeout': 'soon' is not a duration");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    timeout: 0s\n", "entrypoint 'mlp', field 'timeout': duration must be positive");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    env: [A]\n", "entrypoint 'mlp', field 'env': must be a mapping");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    env: {KASHA_PARAMS: x}\n", "entrypoint 'mlp', field 'env': 'KASHA_PARAMS'");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n    argz: [y]\n", "entrypoint 'mlp' unknown field 'argz'");
    assertError("entrypoints:\n  mlp: python3 train.py\n", "entrypoint 'mlp' must be a mapping");
    assertError("entrypoint:\n  mlp:\n    argv: [x]\n", "unknown field 'entrypoint'");
    assertError("entrypoints: [mlp]\n", "'entrypoints' must be a mapping");
    assertError("entrypoints:\n  mlp:\n    argv: [x]\n  mlp:\n    argv: [y]\n", "Duplicate field 'mlp'");
    assertError("entrypoints:\n  mlp: {argv: [x]\n", "not valid YAML");
  }

  @Test
  void doesNotEchoEnvironmentValuesInErrors() throws Exception {
    final Path file = write("entrypoints:\n  mlp:\n    argv: [x]\n    env: {TOKEN: {secret: hunter2}}\n");

    assertThatThrownBy(() -> EntrypointRegistry.load(file))
        .hasMessageContaining("field 'env': the value of 'TOKEN'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void refusesAMissingFile() {
    final Path missing = folder.resolve("nope.yaml");

    assertThatThrownBy(() -> EntrypointRegistry.load(missing))
        .isInstanceOf(EntrypointRegistryException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not found");
  }

  private void assertError(final String yaml, final String expected) throws Exception {
    final Path file = write(yaml);
    assertThatThrownBy(() -> EntrypointRegistry.load(file, List.of()))
        .isInstanceOf(EntrypointRegistryException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(expected);
  }

  private Path write(final String yaml) throws Exception {
    final Path file = folder.resolve("entrypoints.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static ProcessEntrypoint process(final EntrypointRegistry registry, final String name) {
    final Entrypoint entrypoint = registry.find(name).orElseThrow();
    assertThat(entrypoint).isInstanceOf(ProcessEntrypoint.class);
    return (ProcessEntrypoint) entrypoint;
  }

  private record Named(String name) implements Objective {

    @Override
    public void run(final TrialContext context) {}
  }
}
