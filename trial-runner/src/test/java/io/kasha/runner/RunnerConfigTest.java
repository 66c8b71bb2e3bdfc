package io.kasha.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunnerConfigTest {

  private final EntrypointRegistry registry = EntrypointRegistry.of(List.of());
  private final DirectoryCheckpointStore store = new DirectoryCheckpointStore(Path.of("checkpoints"));

  @Test
  void buildsWithTheDefaults() {
    final RunnerConfig config = RunnerConfig.builder("localhost:9092", registry, store).build();

    assertThat(config.topics().names()).isEqualTo(Topics.defaults().names());
    assertThat(config.groupId()).isEqualTo("kasha-runners");
    assertThat(config.slots()).isEqualTo(1);
    assertThat(config.exitWhenIdle()).isEmpty();
    assertThat(config.maxJobs()).isEqualTo(OptionalLong.empty());
    assertThat(config.runnerId()).isNotBlank();
    assertThat(config.renewInterval()).isEqualTo(RunnerConfig.DEFAULT_RENEW_INTERVAL);
  }

  @Test
  void keepsTheValuesOfExtraClientPropertiesOutOfItsText() {
    final RunnerConfig config = RunnerConfig.builder("localhost:9092", registry, store)
        .extraClientProps(Map.of("sasl.jaas.config", "password=\"hunter2\""))
        .build();

    assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> RunnerConfig.builder("localhost:9092", registry, store).slots(0).build())
        .hasMessageContaining("slots");
    assertThatThrownBy(() -> RunnerConfig.builder("localhost:9092", registry, store).maxJobs(0).build())
        .hasMessageContaining("maxJobs");
    assertThatThrownBy(() -> RunnerConfig.builder("localhost:9092", registry, store).exitWhenIdle(Duration.ZERO).build())
        .hasMessageContaining("exitWhenIdle");
    assertThatThrownBy(() -> RunnerConfig.builder("localhost:9092", registry, store).renewInterval(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("renewInterval");
    assertThatThrownBy(() -> new RunnerConfig(" ", Topics.defaults(), "g", 1, registry, store, Optional.empty(),
        OptionalLong.empty(), "r", Map.of(), Duration.ofSeconds(1)))
        .hasMessageContaining("bootstrapServers");
  }
}
