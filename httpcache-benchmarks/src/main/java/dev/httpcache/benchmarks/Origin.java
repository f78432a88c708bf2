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
 * free port, answering every request with the same body of the size it was started with. It counts
 * the requests it answers, and among them the 304s, so a benchmark can prove that it measures the
 * cache and not the network (or, for misses and revalidations, exactly one network request per
 * operation). Thread-safe.
 *
 * <p>Two kinds of resource, told apart by the path:
 *
 * <ul>
 *   <li>any path but {@value #STALE_PATH}: fresh for a day. The response carries what each of the
 *       measured caches needs to store and serve it: {@code Cache-Control: max-age=86400}, a {@code
 *       Date} (the server's own), a {@code Last-Modified} and an {@code ETag}, a {@code
 *       Content-Type} and a {@code Content-Length}. Every path is a resource of its own, so a
 *       benchmark of misses asks for a new path each time.
 *   <li>{@value #STALE_PATH}: the same body and validators with {@code Cache-Control: no-cache}:
 *       stored, but revalidated before every use. A request whose {@code If-None-Match} carries the
 *       {@code ETag} is answered {@code 304 Not Modified} with no body. ({@code no-cache} rather
 *       than {@code max-age=0}: Apache HttpClient 5.6.5's cache does not store a response of {@code
 *       max-age=0}, with or without {@code must-revalidate}, so it could not revalidate one.)
 * </ul>
 *
 * <p>The server answers on its own dispatcher thread, one request at a time, with keep-alive and
 * {@code TCP_NODELAY} (the system property {@value #NODELAY}, set before the first server starts):
 * without it, a response whose headers and body leave in two writes waits about 40 ms for the
 * client's delayed acknowledgement, and every request through the network measures that wait.
 */
public final class Origin implements AutoCloseable {
  /** The length of the body of {@link #start()}, in bytes. */
  public static final int BODY_SIZE = 1024;

  /** The path the hit benchmarks request. */
  public static final String PATH = "/hit";

  /** The path of the resource that must be revalidated before every use (no-cache). */
  public static final String STALE_PATH = "/stale";

  /** The JDK server's switch for {@code TCP_NODELAY} on accepted connections. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // Read once, when the JDK's server configuration class loads: before the first server starts.
    System.setProperty(NODELAY, "true");
  }

  /** The entity tag of every response. */
  static final String ETAG = "\"bench-1\"";

  private static final String LAST_MODIFIED =
      DateTimeFormatter.RFC_1123_DATE_TIME.format(
          ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));

  private final HttpServer server;
  private final byte[] body;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger notModified = new AtomicInteger();

  private Origin(HttpServer server, byte[] body) {
    this.server = server;
    this.body = body;
  }

  /**
   * Starts an origin on 127.0.0.1 and a free port that answers with {@value #BODY_SIZE} bytes.
   *
   * @throws IOException when the server cannot bind
   */
  public static Origin start() throws IOException {
    return start(BODY_SIZE);
  }

  /**
   * Starts an origin on 127.0.0.1 and a free port that answers with {@code bodySize} bytes.
   *
   * @throws IOException when the server cannot bind
   */
  public static Origin start(int bodySize) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    Origin origin = new Origin(server, body(bodySize));
    server.createContext("/", origin::handle);
    server.start();
    return origin;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Headers headers = exchange.getResponseHeaders();
      boolean stale = exchange.getRequestURI().getPath().equals(STALE_PATH);
      headers.set("Cache-Control", stale ? "no-cache" : "max-age=86400");
      headers.set("Last-Modified", LAST_MODIFIED);
      headers.set("ETag", ETAG);
      // The server adds its own Date header to every response.
      if (stale && ETAG.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        notModified.incrementAndGet();
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      headers.set("Content-Type", "application/octet-stream");
      // The JDK's server takes 0 for "chunked" and -1 for "no body" (sent as Content-length: 0).
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Returns the URI of the benchmarked resource, fresh for a day. */
  public URI uri() {
    return uri(PATH);
  }

  /** Returns the URI of {@code path} (which starts with a slash) on this origin. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Returns the address the origin listens on, for clients that reach it through a proxy. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Returns how many requests the origin has answered since it started. */
  public int requests() {
    return requests.get();
  }

  /** Returns how many of those requests it answered 304 Not Modified. */
  public int notModified() {
    return notModified.get();
  }

  /** Returns the length of the body this origin sends. */
  public int bodySize() {
    return body.length;
  }

  /** Returns a copy of the body this origin sends. */
  public byte[] body() {
    return body.clone();
  }

  /** Returns a copy of the body an origin of {@value #BODY_SIZE} bytes sends. */
  public static byte[] expectedBody() {
    return body(BODY_SIZE);
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }

  /** Returns the body an origin of {@code size} bytes sends. */
  static byte[] body(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("body size must not be negative: " + size);
    }
    byte[] body = new byte[size];
    for (int i = 0; i < body.length; i++) {
      // Printable and not all alike, so a truncated or shifted body would not compare equal.
      body[i] = (byte) ('a' + (i * 7) % 26);
    }
    return body;
  }
}
