package io.kasha.cli;

import io.kasha.cli.local.EmbeddedBroker;
import io.kasha.schemas.Topics;
import io.kasha.topology.TopicSetup;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is: an existing one, or the embedded broker whose data is under the Kasha home. */
public final class ClusterOptions {

  @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
      description = "Kafka cluster to use. Without it: the embedded broker of <home>/broker, joined if another "
          + "kasha process runs it, else started here (its data survives restarts, so local studies stay "
          + "inspectable).")
  String bootstrapServers;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
      description = "Prefix of the Kasha topic names (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:KASHA_HOME:-.kasha}",
      description = "Local state: embedded broker data, scheduler state, checkpoints, logs (default: ${DEFAULT-VALUE}).")
  Path home;

  @Option(names = "--partitions", defaultValue = "3", paramLabel = "N",
      description = "Partitions of the Kasha topics when they are created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "-1", paramLabel = "N",
      description = "Replicas of the Kasha topics when they are created; -1 takes the broker's default.")
  short replicationFactor;

  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  public Path home() {
    return home;
  }

  /**
   * Connects to the cluster: the given one, or the embedded broker (started now, stopped when the
   * returned connection closes). The Kasha topics are created if missing.
   */
  public Connection connect() throws Exception {
    EmbeddedBroker broker = null;
    String bootstrap = bootstrapServers;
    if (bootstrap == null) {
      bootstrap = EmbeddedBroker.runningElsewhere(home.resolve("broker")).orElse(null);
    }
    if (bootstrap == null) {
      Console.note("Starting the embedded Kafka broker (data in " + home.resolve("broker") + ")");
      broker = EmbeddedBroker.start(home.resolve("broker"));
      bootstrap = broker.bootstrapServers();
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicSetup.ensure(admin, topics(), partitions, replicationFactor);
    } catch (Exception e) {
      if (broker != null) {
        broker.close();
      }
      throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
    }
    return new Connection(bootstrap, topics(), broker);
  }

  /** An open connection to the cluster; closing it stops the embedded broker, if one was started. */
  public record Connection(String bootstrapServers, Topics topics, EmbeddedBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
