package io.kasha.runner;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.schemas.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * How a {@link TrialRunner} connects and how much it takes on.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics the Kasha topics (jobs are read from {@code trialJobs}, reports written to {@code
 *     trialReports})
 * @param groupId the share group all runners of a deployment join
 * @param slots how many jobs run at once; each slot holds at most one job
 * @param registry what the runner may run
 * @param checkpointStore where checkpoints are read and written
 * @param exitWhenIdle end {@link TrialRunner#run()} once no job has run for this long
 * @param maxJobs end {@link TrialRunner#run()} once this many jobs are done
 * @param runnerId names this runner in reports and client ids
 * @param extraClientProps extra Kafka client settings (security, timeouts) for the consumers, the
 *     producer and the admin client; their values are never logged
 * @param renewInterval how often a running job's acquisition lock is renewed; the runner renews at
 *     least twice per lock duration whatever this says
 */
public record RunnerConfig(
    String bootstrapServers,
    Topics topics,
    String groupId,
    int slots,
    EntrypointRegistry registry,
    CheckpointStore checkpointStore,
    Optional<Duration> exitWhenIdle,
    OptionalLong maxJobs,
    String runnerId,
    Map<String, Object> extraClientProps,
    Duration renewInterval) {

  public static final String DEFAULT_GROUP_ID = "kasha-runners";
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(10);

  public RunnerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(checkpointStore, "checkpointStore");
    Objects.requireNonNull(exitWhenIdle, "exitWhenIdle");
    Objects.requireNonNull(maxJobs, "maxJobs");
    Objects.requireNonNull(runnerId, "runnerId");
    Objects.requireNonNull(renewInterval, "renewInterval");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    if (groupId.isBlank()) {
      throw new IllegalArgumentException("groupId must not be blank");
    }
    if (runnerId.isBlank()) {
      throw new IllegalArgumentException("runnerId must not be blank");
    }
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    if (maxJobs.isPresent() && maxJobs.getAsLong() < 1) {
      throw new IllegalArgumentException("maxJobs must be at least 1, got " + maxJobs.getAsLong());
    }
    exitWhenIdle.ifPresent(idle -> requirePositive("exitWhenIdle", idle));
    requirePositive("renewInterval", renewInterval);
    extraClientProps = Map.copyOf(extraClientProps);
  }

  /** A configuration with the defaults: one slot, no limits, group {@value #DEFAULT_GROUP_ID}. */
  public static Builder builder(
      final String bootstrapServers, final EntrypointRegistry registry, final CheckpointStore checkpointStore) {
    return new Builder(bootstrapServers, registry, checkpointStore);
  }

  /** Like the record's, with the values of {@code extraClientProps} left out: they may be secrets. */
  @Override
  public String toString() {
    return "RunnerConfig[bootstrapServers=" + bootstrapServers
        + ", topics=" + topics.names()
        + ", groupId=" + groupId
        + ", slots=" + slots
        + ", entrypoints=" + registry.names()
        + ", checkpointStore=" + checkpointStore
        + ", exitWhenIdle=" + exitWhenIdle
        + ", maxJobs=" + maxJobs
        + ", runnerId=" + runnerId
        + ", extraClientProps=" + extraClientProps.keySet().stream().sorted()
            .collect(Collectors.joining(", ", "[", "]"))
        + ", renewInterval=" + renewInterval + "]";
  }

  private static void requirePositive(final String name, final Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }

  static String defaultRunnerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "runner";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /** Builds a {@link RunnerConfig}; every setting not given keeps its default. */
  public static final class Builder {

    private final String bootstrapServers;
    private final EntrypointRegistry registry;
    private final CheckpointStore checkpointStore;
    private Topics topics = Topics.defaults();
    private String groupId = DEFAULT_GROUP_ID;
    private int slots = 1;
    private Optional<Duration> exitWhenIdle = Optional.empty();
    private OptionalLong maxJobs = OptionalLong.empty();
    private String runnerId;
    private Map<String, Object> extraClientProps = Map.of();
    private Duration renewInterval = DEFAULT_RENEW_INTERVAL;

    private Builder(
        final String bootstrapServers, final EntrypointRegistry registry, final CheckpointStore checkpointStore) {
      this.bootstrapServers = bootstrapServers;
      this.registry = registry;
      this.checkpointStore = checkpointStore;
    }

    public Builder topics(final Topics topics) {
      this.topics = topics;
      return this;
    }

    public Builder groupId(final String groupId) {
      this.groupId = groupId;
      return this;
    }

    public Builder slots(final int slots) {
      this.slots = slots;
      return this;
    }

    public Builder exitWhenIdle(final Duration exitWhenIdle) {
      this.exitWhenIdle = Optional.of(exitWhenIdle);
      return this;
    }

    public Builder maxJobs(final long maxJobs) {
      this.maxJobs = OptionalLong.of(maxJobs);
      return this;
    }

    public Builder runnerId(final String runnerId) {
      this.runnerId = runnerId;
      return this;
    }

    public Builder extraClientProps(final Map<String, Object> extraClientProps) {
      this.extraClientProps = extraClientProps;
      return this;
    }

    public Builder renewInterval(final Duration renewInterval) {
      this.renewInterval = renewInterval;
      return this;
    }

    public RunnerConfig build() {
      return new RunnerConfig(
          bootstrapServers, topics, groupId, slots, registry, checkpointStore, exitWhenIdle, maxJobs,
          runnerId == null ? defaultRunnerId() : runnerId, extraClientProps, renewInterval);
    }
  }
}
