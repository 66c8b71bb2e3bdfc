package io.kasha.topology;

import io.kasha.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the Kasha topics that are missing (the study-status topic compacted) and checks the
 * co-partitioning the scheduler needs.
 */
public final class TopicSetup {

  private TopicSetup() {}

  /**
   * Creates missing topics with {@code partitions} partitions and {@code replicationFactor}
   * replicas (-1: the broker's default), then fails if the studies and trial-reports topics have
   * different partition counts, since one study's commands and reports must meet in one task.
   */
  public static void ensure(final Admin admin, final Topics topics, final int partitions, final short replicationFactor)
      throws ExecutionException, InterruptedException {
    final Set<String> existing = admin.listTopics().names().get();
    final List<NewTopic> missing = new ArrayList<>();
    for (final String name : topics.names()) {
      if (!existing.contains(name)) {
        final NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor));
        if (name.equals(topics.studyStatus().name())) {
          topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        missing.add(topic);
      }
    }
    if (!missing.isEmpty()) {
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw e;
        }
      }
    }
    final Map<String, TopicDescription> described =
        describeOnceVisible(admin, List.of(topics.studies().name(), topics.trialReports().name()));
    final int studies = described.get(topics.studies().name()).partitions().size();
    final int reports = described.get(topics.trialReports().name()).partitions().size();
    if (studies != reports) {
      throw new IllegalStateException("topics " + topics.studies().name() + " (" + studies + " partitions) and "
          + topics.trialReports().name() + " (" + reports + " partitions) must have the same partition count");
    }
  }

  /** Describes topics, waiting (up to 30 s) for just-created ones to reach the broker's metadata. */
  private static Map<String, TopicDescription> describeOnceVisible(final Admin admin, final List<String> names)
      throws ExecutionException, InterruptedException {
    final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
