package io.kasha.cli.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running inside the current JVM:
 * the broker of Kasha's local mode.
 *
 * <p>Layout of the data directory:
 * <ul>
 *   <li>{@code kafka-logs/} the log directory, which also holds the KRaft metadata log;</li>
 *   <li>{@code server.properties} the configuration of the last start (written for inspection and for
 *       the storage formatter; it is regenerated at every start);</li>
 *   <li>{@code ports.properties} the ports of the last start, reused when they are still free;</li>
 *   <li>{@code broker.lock} held while a broker runs on the directory, so that a second one fails at once
 *       with a clear message.</li>
 * </ul>
 *
 * <p>The first start formats the storage (a new cluster id, the latest production metadata version,
 * {@code share.version=1} so that share groups work); later starts reuse it, so topics and their records
 * survive a restart of the process, including after the process was killed.
 *
 * <p>The broker listens on 127.0.0.1 only, plain text, on a free port; the controller listener takes another
 * one. The quorum is static ({@code controller.quorum.voters}), so the controller may move to another port
 * from one start to the next.
 *
 * <p>Longer than the project's other classes on purpose: it is the broker's whole life (format,
 * configuration, ports, lock, start, readiness, stop), whose steps depend on one another's files and
 * read best in order in one place.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /** Broker config: how long a share-group consumer holds a record before it is offered again. */
  public static final String SHARE_RECORD_LOCK_DURATION_MS = "group.share.record.lock.duration.ms";

  static final String LOG_DIR = "kafka-logs";
  static final String SERVER_PROPERTIES = "server.properties";
  static final String PORTS_FILE = "ports.properties";
  static final String LOCK_FILE = "broker.lock";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  private static final String LOOPBACK = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int MAX_BIND_ATTEMPTS = 3;
  private static final String SHARE_MIN_LOCK_DURATION_MS = "group.share.min.record.lock.duration.ms";
  private static final String SHARE_MAX_LOCK_DURATION_MS = "group.share.max.record.lock.duration.ms";

  private final Path dataDir;
  private final KafkaRaftServer server;
  private final DirectoryLock lock;
  private final int port;
  private final int controllerPort;
  private final String clusterId;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedBroker(Path dataDir, KafkaRaftServer server, DirectoryLock lock, int port, int controllerPort,
             String clusterId, Duration startupTime) {
    this.dataDir = dataDir;
    this.server = server;
    this.lock = lock;
    this.port = port;
    this.controllerPort = controllerPort;
    this.clusterId = clusterId;
    this.startupTime = startupTime;
  }

  /** Starts a broker with the default settings; see {@link #start(Path, Map)}. */
  public static EmbeddedBroker start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * The address of a broker that another process runs on {@code dataDir} right now (for example
   * a {@code kasha run} in another terminal), or empty if none does.
   */
  public static java.util.Optional<String> runningElsewhere(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      return java.util.Optional.empty();
    }
    try {
      DirectoryLock.acquire(dir.resolve(LOCK_FILE)).release();
      return java.util.Optional.empty();
    } catch (IllegalStateException held) {
      String port = readPorts(dir).getProperty("broker");
      return port == null ? java.util.Optional.empty() : java.util.Optional.of("127.0.0.1:" + port.trim());
    }
  }

  /**
   * Starts the broker on {@code dataDir}, formatting it first if it holds no broker yet, and returns once
   * the broker serves clients.
   *
   * @param dataDir   where the broker keeps its data (created if missing)
   * @param overrides broker configs that replace the defaults, e.g. {@link #SHARE_RECORD_LOCK_DURATION_MS};
   *                  listener, quorum and directory settings are managed here and cannot be overridden
   * @throws IllegalStateException if the broker cannot start, e.g. because another process uses the same
   *                               data directory
   */
  public static EmbeddedBroker start(Path dataDir, Map<String, String> overrides) {
    return start(dataDir, overrides, 0, EmbeddedBroker::reuseOrPickPort);
  }

  /**
   * As {@link #start(Path, Map)}, with the client listener on {@code port}, or as there when it is 0. A
   * broker that clients know by its address (a {@code kasha broker} restarted under running schedulers
   * and runners) must come back on the same port.
   *
   * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
   * @throws IllegalStateException    if the broker cannot start, for example because the port is taken
   */
  public static EmbeddedBroker start(Path dataDir, Map<String, String> overrides, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the broker port must be 0 to 65535, got " + port);
    }
    return start(dataDir, overrides, port, EmbeddedBroker::reuseOrPickPort);
  }

  static EmbeddedBroker start(Path dataDir, Map<String, String> overrides, PortChooser ports) {
    return start(dataDir, overrides, 0, ports);
  }

  private static EmbeddedBroker start(Path dataDir, Map<String, String> overrides, int fixedPort, PortChooser ports) {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(overrides, "overrides");
    Path dir = dataDir.toAbsolutePath().normalize();
    long begin = System.nanoTime();
    try {
      Files.createDirectories(dir.resolve(LOG_DIR));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create broker directory " + dir, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(dir.resolve(LOCK_FILE));
    try {
      return startLocked(dir, overrides, fixedPort, ports, lock, begin);
    } catch (RuntimeException | Error e) {
      lock.release();
      throw e;
    }
  }

  private static EmbeddedBroker startLocked(Path dir, Map<String, String> overrides, int fixedPort, PortChooser ports,
                       DirectoryLock lock, long begin) {
    if (fixedPort > 0 && !canBind(fixedPort)) {
      throw new IllegalStateException("the embedded broker in " + dir + " cannot listen on port " + fixedPort
        + ": it is in use");
    }
    Properties previous = readPorts(dir);
    int wantedPort = Integer.parseInt(previous.getProperty("broker", "0"));
    int wantedControllerPort = Integer.parseInt(previous.getProperty("controller", "0"));

    Exception lastFailure = null;
    for (int attempt = 1; attempt <= MAX_BIND_ATTEMPTS; attempt++) {
      int port = fixedPort > 0 ? fixedPort : ports.choose(wantedPort, -1);
      int controllerPort = ports.choose(wantedControllerPort, port);
      Map<String, String> config = serverConfig(dir, port, controllerPort, overrides);
      writeProperties(dir.resolve(SERVER_PROPERTIES), config, "Kasha embedded broker (regenerated at every start)");
      String clusterId = formatIfNeeded(dir);

      KafkaConfig kafkaConfig = kafkaConfig(config);
      KafkaRaftServer server = null;
      try {
        server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        server.startup();
      } catch (Exception e) { // Scala code may throw checked exceptions it does not declare
        if (server != null) {
          shutdownQuietly(server);
        }
        if (!isBindFailure(e)) {
          throw new IllegalStateException("the embedded broker in " + dir + " failed to start: " + e.getMessage(), e);
        }
        log.warn("port {} or {} was taken while the broker started; trying other ports", port, controllerPort);
        lastFailure = e;
        wantedPort = 0;
        wantedControllerPort = 0;
        continue;
      }
      Properties used = new Properties();
      used.setProperty("broker", Integer.toString(port));
      used.setProperty("controller", Integer.toString(controllerPort));
      writeProperties(dir.resolve(PORTS_FILE), used, "Kasha embedded broker: ports of the last start");
      Duration took = Duration.ofNanos(System.nanoTime() - begin);
      log.info("embedded broker ready on {}:{} (controller port {}, cluster {}, data {}) in {} ms",
        LOOPBACK, port, controllerPort, clusterId, dir, took.toMillis());
      return new EmbeddedBroker(dir, server, lock, port, controllerPort, clusterId, took);
    }
    throw new IllegalStateException("the embedded broker in " + dir
      + (fixedPort > 0 ? " could not listen on port " + fixedPort : " found no free port"), lastFailure);
  }

  /** The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:40123}. */
  public String bootstrapServers() {
    return LOOPBACK + ":" + port;
  }

  /** The port of the client (plain text) listener. */
  public int port() {
    return port;
  }

  /** The port of the KRaft controller listener. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The cluster id written when the data directory was formatted. */
  public String clusterId() {
    return clusterId;
  }

  /** The absolute data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** How long {@link #start} took, formatting included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Shuts the broker down cleanly and waits until it has stopped. Calling it again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long begin = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      lock.release();
    }
    log.info("embedded broker on port {} stopped in {} ms", port,
      Duration.ofNanos(System.nanoTime() - begin).toMillis());
  }

  static Map<String, String> serverConfig(Path dir, int port, int controllerPort, Map<String, String> overrides) {
    Map<String, String> c = new LinkedHashMap<>();
    // Single-node defaults; callers may override any of these.
    c.put("num.partitions", "1");
    c.put("default.replication.factor", "1");
    c.put("min.insync.replicas", "1");
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "1");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("transaction.state.log.num.partitions", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("share.coordinator.state.topic.num.partitions", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put(SHARE_RECORD_LOCK_DURATION_MS, "30000");
    c.put("auto.create.topics.enable", "false");
    c.put("log.retention.ms", "-1");
    c.put("log.retention.bytes", "-1");
    // The default (128 MiB) is sized for a dedicated server; the compacted topics here are small.
    c.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "4");
    c.putAll(overrides);
    widenShareLockBounds(c);

    // Managed here: identity, directories, listeners and the quorum.
    String logDir = dir.resolve(LOG_DIR).toString();
    c.put("process.roles", "broker,controller");
    c.put("node.id", Integer.toString(NODE_ID));
    c.put("log.dirs", logDir);
    c.put("metadata.log.dir", logDir);
    c.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + port + ","
      + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
    c.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + port);
    c.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    c.put("inter.broker.listener.name", BROKER_LISTENER);
    c.put("controller.listener.names", CONTROLLER_LISTENER);
    c.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    c.remove("controller.quorum.bootstrap.servers");
    return c;
  }

  /** A lock duration outside the broker's [min, max] bounds is refused at start: move the bounds with it. */
  private static void widenShareLockBounds(Map<String, String> c) {
    long lock;
    try {
      lock = Long.parseLong(c.get(SHARE_RECORD_LOCK_DURATION_MS).trim());
    } catch (NumberFormatException e) {
      return; // the broker's config validation reports it
    }
    if (lock < 15_000 && !c.containsKey(SHARE_MIN_LOCK_DURATION_MS)) {
      c.put(SHARE_MIN_LOCK_DURATION_MS, Long.toString(lock));
    }
    if (lock > 60_000 && !c.containsKey(SHARE_MAX_LOCK_DURATION_MS)) {
      c.put(SHARE_MAX_LOCK_DURATION_MS, Long.toString(lock));
    }
  }

  /**
   * Formats the storage unless a previous start already did, and returns the cluster id. Formatting goes
   * through the storage tool, as {@code kafka-storage format --feature share.version=1} would.
   */
  private static String formatIfNeeded(Path dir) {
    Path meta = dir.resolve(LOG_DIR).resolve("meta.properties");
    if (!Files.exists(meta)) {
      String newClusterId = Uuid.randomUuid().toString();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc;
      try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        rc = StorageTool.execute(new String[] {
          "format",
          "--config", dir.resolve(SERVER_PROPERTIES).toString(),
          "--cluster-id", newClusterId,
          "--feature", "share.version=1",
          "--ignore-formatted"
        }, ps);
      } catch (Exception e) { // Scala code may throw checked exceptions it does not declare
        throw new IllegalStateException("cannot format the broker storage in " + dir + ": " + e.getMessage(), e);
      }
      String output = out.toString(StandardCharsets.UTF_8).trim();
      if (rc != 0) {
        throw new IllegalStateException("cannot format the broker storage in " + dir + ": " + output);
      }
      log.info("formatted broker storage: {}", output);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
    return p.getProperty("cluster.id");
  }

  /**
   * {@code KafkaConfig.fromProps}. Called reflectively: kafka_2.13 declares its server modules (which hold
   * the superclass of {@link KafkaConfig}) as runtime dependencies, so javac cannot resolve static members
   * of {@link KafkaConfig} against the compile classpath.
   */
  private static KafkaConfig kafkaConfig(Map<String, String> config) {
    Properties props = new Properties();
    props.putAll(config);
    try {
      return (KafkaConfig) Class.forName("kafka.server.KafkaConfig")
        .getMethod("fromProps", Properties.class, boolean.class)
        .invoke(null, props, true);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException("invalid broker configuration: " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the Kafka server classes are not on the classpath", e);
    }
  }

  /** The wanted port if it can be bound now, otherwise a free ephemeral one (never {@code avoid}). */
  static int reuseOrPickPort(int wanted, int avoid) {
    if (wanted > 0 && wanted != avoid && canBind(wanted)) {
      return wanted;
    }
    for (int i = 0; i < 10; i++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
        if (s.getLocalPort() != avoid) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
      }
    }
    throw new IllegalStateException("cannot find a free port on " + LOOPBACK);
  }

  /** Whether a listener could bind the port now (with SO_REUSEADDR, as the broker's acceptor does). */
  static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isBindFailure(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (t instanceof BindException || (m != null && m.contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (Exception e) {
      log.warn("error while stopping a broker that failed to start", e);
    }
  }

  private static Properties readPorts(Path dir) {
    Properties p = new Properties();
    Path file = dir.resolve(PORTS_FILE);
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        log.warn("ignoring unreadable {}: {}", file, e.toString());
        return new Properties();
      }
    }
    for (String key : new String[] {"broker", "controller"}) {
      String v = p.getProperty(key);
      if (v != null && !v.trim().matches("\\d{1,5}")) {
        p.remove(key);
      }
    }
    return p;
  }

  private static void writeProperties(Path file, Map<?, ?> values, String comment) {
    Properties p = new Properties();
    p.putAll(values);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, comment);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Picks a port: the wanted one (0 for none) if it is free, never {@code avoid}. */
  @FunctionalInterface
  interface PortChooser {
    int choose(int wanted, int avoid);
  }

  /** An exclusive lock on a file of the data directory, held while the broker runs. */
  private static final class DirectoryLock {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    static DirectoryLock acquire(Path file) {
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + file, e);
      }
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        closeQuietly(channel);
        throw new IllegalStateException("another Kasha broker is running on " + file.getParent()
          + "; stop it, or use another data directory or --bootstrap-server");
      }
      return new DirectoryLock(channel, lock);
    }

    void release() {
      try {
        lock.release();
      } catch (IOException e) {
        log.debug("releasing the directory lock failed", e);
      }
      closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing the directory lock failed", e);
      }
    }
  }
}
