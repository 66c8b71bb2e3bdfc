package io.kasha.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring endpoints of a scheduler or a runner, on one port:
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the registry in the Prometheus text format;
 *   <li>{@code GET /health}: 200 {@code ready} when the process is ready, else 503 and why not (a
 *       readiness probe: a scheduler is ready while its Streams application is RUNNING, a runner while
 *       its share consumers poll);
 *   <li>the JSON endpoints given, such as a scheduler's {@code GET /jobs-waiting}: 200 and the object,
 *       or 503 while there is nothing to say yet.
 * </ul>
 *
 * Served by the JDK's own {@code com.sun.net.httpserver.HttpServer}: a few tiny handlers need no web
 * framework, and the command stays free of another server's dependencies and their updates. Requests
 * are handled on one daemon thread; a scrape reads meters, never Kafka.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  /** The Prometheus text exposition format, version 0.0.4, as {@link PrometheusMeterRegistry#scrape()} writes it. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService handler;

  private MetricsServer(final HttpServer server, final ExecutorService handler) {
    this.server = server;
    this.handler = handler;
  }

  /**
   * Starts serving on {@code port} (0: a free one, see {@link #port}) of every interface.
   *
   * @param notReady why the process is not ready, or empty when it is
   * @param json more endpoints by path, each giving its JSON object, or empty while it has none
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static MetricsServer start(final int port, final PrometheusMeterRegistry registry,
      final Supplier<Optional<String>> notReady, final Map<String, Supplier<Optional<String>>> json) {
    final HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
    final Map<String, Supplier<Optional<String>>> endpoints = new LinkedHashMap<>(json);
    server.createContext("/metrics", exchange -> handle(exchange, () ->
        new Reply(200, PROMETHEUS_TEXT, registry.scrape())));
    server.createContext("/health", exchange -> handle(exchange, () -> notReady.get()
        .map(why -> new Reply(503, "text/plain; charset=utf-8", "not ready: " + why + "\n"))
        .orElseGet(() -> new Reply(200, "text/plain; charset=utf-8", "ready\n"))));
    endpoints.forEach((path, body) -> server.createContext(path, exchange -> handle(exchange, () -> body.get()
        .map(object -> new Reply(200, "application/json", object + "\n"))
        .orElseGet(() -> new Reply(503, "application/json", "{\"error\": \"not known yet\"}\n")))));
    final ExecutorService handler = Executors.newSingleThreadExecutor(task -> {
      final Thread thread = new Thread(task, "kasha-metrics-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(handler);
    server.start();
    return new MetricsServer(server, handler);
  }

  /** The port served, the one chosen if 0 was asked for. */
  public int port() {
    return server.getAddress().getPort();
  }

  private record Reply(int status, String contentType, String body) {}

  private static void handle(final HttpExchange exchange, final Supplier<Reply> reply) throws IOException {
    try (exchange) {
      final boolean exact = exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath());
      final String method = exchange.getRequestMethod();
      if (!exact) {
        send(exchange, new Reply(404, "text/plain; charset=utf-8", "not found\n"), true);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        send(exchange, new Reply(405, "text/plain; charset=utf-8", "method not allowed\n"), true);
      } else {
        send(exchange, reply.get(), method.equals("GET"));
      }
    } catch (RuntimeException e) {
      LOG.warn("metrics endpoint {} failed", exchange.getRequestURI().getPath(), e);
      throw e;
    }
  }

  private static void send(final HttpExchange exchange, final Reply reply, final boolean withBody) throws IOException {
    final byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", reply.contentType());
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(reply.status(), withBody ? body.length : -1);
    if (withBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handler.shutdownNow();
  }
}
