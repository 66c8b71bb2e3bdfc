package io.kasha.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The monitoring endpoints of a scheduler or runner on a local port, read as a scraper or a probe would. */
final class Endpoints {

  record Reply(int status, String contentType, String body) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;

  Endpoints(final int port) {
    this.port = port;
  }

  Reply get(final String path) {
    try {
      final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " on port " + port + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  int health() {
    return get("/health").status();
  }

  PrometheusText metrics() {
    final Reply reply = get("/metrics");
    if (reply.status() != 200 || !reply.contentType().startsWith("text/plain; version=0.0.4")) {
      throw new AssertionError("GET /metrics: " + reply.status() + " " + reply.contentType());
    }
    return PrometheusText.parse(reply.body());
  }

  /** The {@code waiting} of {@code GET /jobs-waiting}, or -1 while it answers 503. */
  long jobsWaiting() {
    final Reply reply = get("/jobs-waiting");
    if (reply.status() == 503) {
      return -1;
    }
    try {
      if (reply.status() != 200 || !reply.contentType().equals("application/json")) {
        throw new AssertionError("GET /jobs-waiting: " + reply);
      }
      return JSON.readTree(reply.body()).get("waiting").asLong();
    } catch (IOException e) {
      throw new AssertionError("GET /jobs-waiting is not JSON: " + reply.body(), e);
    }
  }

  /** Asks {@code read} every 200 ms until {@code until} accepts its answer; fails after {@code timeout}. */
  static <T> T await(final Supplier<T> read, final Predicate<T> until, final Duration timeout, final String what)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + timeout + "; last " + last);
      }
      Thread.sleep(200);
      last = read.get();
    }
    return last;
  }
}
