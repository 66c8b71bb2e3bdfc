package io.kasha.cli;

import io.kasha.cli.local.EmbeddedBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kasha broker}: the embedded broker of local mode as a process of its own, for schedulers and runners
 * started apart ({@code kasha scheduler -b}, {@code kasha runner -b}). Prints the bootstrap address on standard
 * output once the broker serves clients, then runs until SIGTERM or Ctrl-C, when it shuts down cleanly.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Run a single-node Kafka broker (KRaft, broker and controller in one process) for local work, "
        + "until SIGTERM or Ctrl-C.",
        "",
        "Prints its bootstrap address (127.0.0.1:PORT) once it serves clients. Its data stays in --dir: started "
            + "again on the same directory, even after it was killed, it has every topic and committed record, and "
            + "with --port it comes back on the same address. Share groups are enabled. It listens on 127.0.0.1 "
            + "only, without TLS or authentication: not for a shared network."})
final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--home", paramLabel = "DIR", defaultValue = "${env:KASHA_HOME:-.kasha}",
      description = "Kasha home: logs, and the default data directory (default: ${DEFAULT-VALUE}).")
  Path home;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Data directory, kept across restarts (default: <home>/broker, the broker of kasha run).")
  Path dir;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "Client port; 0 takes the port of the last start on this directory if it is free, else any "
          + "free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
      description = "A broker setting, e.g. -c group.share.record.lock.duration.ms=15000. Listeners, quorum and "
          + "directories are managed by kasha.")
  Map<String, String> overrides = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      Console.error("--port must be 0 to 65535, got " + port);
      return 2;
    }
    final Path data = dir != null ? dir : home.resolve("broker");
    final EmbeddedBroker broker = EmbeddedBroker.start(data, overrides, port);
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "kasha-broker-shutdown"));
    System.out.println(broker.bootstrapServers());
    System.out.flush();
    Console.note("Kafka broker running on " + broker.bootstrapServers() + " (data in " + broker.dataDir()
        + "); Ctrl-C to stop");
    stopped.await();
    return 0;
  }
}
