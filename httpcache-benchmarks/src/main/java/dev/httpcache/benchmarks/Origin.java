package dev.httpcache.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local origin every benchmark fetches from: the JDK's {@link HttpServer} on 127.0.0.1 and a
 * free port, answering every request with the same {@value #BODY_SIZE}-byte body, fresh for a day.
 * It counts the requests it answers, so a benchmark can prove that it measures the cache and not
 * the network. Thread-safe.
 *
 * <p>The response carries what each of the measured caches needs to store and serve it: {@code
 * Cache-Control: max-age=86400}, a {@code Date} (the server's own), a {@code Last-Modified} and an
 * {@code ETag}, a {@code Content-Type} and a {@code Content-Length}.
 */
public final class Origin implements AutoCloseable {
  /** The length of the body, in bytes. */
  public static final int BODY_SIZE = 1024;

  /** The path the benchmarks request. */
  public static final String PATH = "/hit";

  private static final byte[] BODY = body();
  private static final String LAST_MODIFIED =
      DateTimeFormatter.RFC_1123_DATE_TIME.format(
          ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private Origin(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts an origin on 127.0.0.1 and a free port.
   *
   * @throws IOException when the server cannot bind
   */
  public static Origin start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    Origin origin = new Origin(server);
    server.createContext("/", origin::handle);
    server.start();
    return origin;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", "application/octet-stream");
      headers.set("Cache-Control", "max-age=86400");
      headers.set("Last-Modified", LAST_MODIFIED);
      headers.set("ETag", "\"bench-1\"");
      // The server adds its own Date header to every response.
      exchange.sendResponseHeaders(200, BODY.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(BODY);
      }
    }
  }

  /** Returns the URI of the benchmarked resource. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Returns how many requests the origin has answered since it started. */
  public int requests() {
    return requests.get();
  }

  /** Returns a copy of the body the origin sends. */
  public static byte[] expectedBody() {
    return BODY.clone();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }

  private static byte[] body() {
    byte[] body = new byte[BODY_SIZE];
    for (int i = 0; i < body.length; i++) {
      // Printable and not all alike, so a truncated or shifted body would not compare equal.
      body[i] = (byte) ('a' + (i * 7) % 26);
    }
    return body;
  }
}
