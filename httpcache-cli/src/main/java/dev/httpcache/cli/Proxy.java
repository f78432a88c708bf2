package dev.httpcache.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.okhttp.CacheInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * A reverse proxy on a loopback port that forwards every request to one origin through one caching
 * client, so that an HTTP test suite written for proxy caches can exercise the cache: a {@link
 * CachedHttpClient} ({@link Client#JDK}, the default) or an OkHttp client with the {@link
 * CacheInterceptor} ({@link Client#OKHTTP}), over the same cache.
 *
 * <p>A request goes to the origin with its method, path and query, headers and body; hop-by-hop
 * fields (RFC 9110 section 7.6.1), {@code Host} and the framing fields are left to the two HTTP
 * stacks, and {@code Via} is appended, as a gateway must (RFC 9110 section 7.6.3). The response
 * comes back with its status, headers less the hop-by-hop ones, and body; none for {@code HEAD},
 * 1xx, 204 and 304. The JDK's server writes {@code Date}, {@code Content-Length} or {@code
 * Transfer-Encoding} and, when the connection closes, {@code Connection} of its own: see {@code
 * docs/conformance.md}. Redirects are not followed. A failure to reach the origin is a 502 with a
 * one-line text body.
 *
 * <p>Thread-safe: requests are handled on a fixed pool of {@value #THREADS} threads. Closing the
 * proxy stops the server; the cache stays open, as it belongs to the caller.
 */
final class Proxy implements AutoCloseable {
  /** How many requests are handled at once. */
  static final int THREADS = 16;

  /** The largest request body the proxy reads, in bytes; a larger one is answered with 413. */
  static final int MAX_REQUEST_BODY = 16 * 1024 * 1024;

  /** How long to wait for the origin to connect and, separately, to send its response headers. */
  static final Duration ORIGIN_TIMEOUT = Duration.ofSeconds(60);

  /** What the proxy names itself in {@code Via}. */
  static final String VIA = "1.1 httpcache";

  /**
   * The hop-by-hop fields of RFC 9110 section 7.6.1, and the ones older proxies used; lower case.
   */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authentication-info",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /** Request fields that the JDK client writes itself, and refuses from callers; lower case. */
  private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length", "expect");

  /** The client library the proxy forwards through; both cache in the same {@link HttpCache}. */
  enum Client {
    /** {@link CachedHttpClient} over the JDK's {@link HttpClient}. */
    JDK,
    /** OkHttp with {@link CacheInterceptor} as its application interceptor. */
    OKHTTP
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Forwarder forwarder;
  private final HttpCache cache;
  private final URI origin;
  private final Io io;
  private final boolean verbose;

  private Proxy(
      HttpServer server,
      ExecutorService executor,
      Forwarder forwarder,
      HttpCache cache,
      URI origin,
      Io io,
      boolean verbose) {
    this.server = server;
    this.executor = executor;
    this.forwarder = forwarder;
    this.cache = cache;
    this.origin = origin;
    this.io = io;
    this.verbose = verbose;
  }

  /**
   * Starts a proxy on 127.0.0.1:{@code port} (0 for a free port) in front of {@code origin},
   * caching in {@code cache}.
   *
   * @param origin the origin's base URL: scheme, host, port and an optional path prefix
   * @param io where warnings, and with {@code verbose} one line per request, are printed
   * @throws IOException when the port cannot be bound
   */
  static Proxy start(int port, URI origin, HttpCache cache, Io io, boolean verbose)
      throws IOException {
    return start(port, origin, cache, io, verbose, Client.JDK);
  }

  /**
   * Starts a proxy as {@link #start(int, URI, HttpCache, Io, boolean)} does, forwarding through
   * {@code client}.
   *
   * @throws IOException when the port cannot be bound
   */
  static Proxy start(int port, URI origin, HttpCache cache, Io io, boolean verbose, Client client)
      throws IOException {
    Forwarder forwarder = client == Client.OKHTTP ? new OkHttpForwarder(cache) : jdk(cache);
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 256);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "httpcache-proxy-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Proxy proxy = new Proxy(server, executor, forwarder, cache, base(origin), io, verbose);
    server.createContext("/", proxy::handle);
    server.setExecutor(executor);
    server.start();
    return proxy;
  }

  /** The origin without a trailing slash, so that the request path can be appended to it. */
  private static URI base(URI origin) {
    String s = origin.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** Returns the bound address, always on 127.0.0.1. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Returns the proxy's base URL, {@code http://127.0.0.1:PORT}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + address().getPort());
  }

  /** Stops the server at once, ending the exchanges in flight, and stops the threads. */
  @Override
  public void close() {
    // Not stop(n > 0): the JDK 17 server then waits the whole n seconds, busy or not.
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forwarder.close();
  }

  /** What came back for a forwarded request, whichever client fetched it. */
  private record Answer(int status, HttpHeaders headers, byte[] body, CacheMetadata metadata) {}

  /** Sends one request through a caching client and reads the whole answer. */
  private interface Forwarder {
    /**
     * @throws IllegalArgumentException when the client cannot send such a request
     */
    Answer send(String method, URI target, Map<String, List<String>> headers, byte[] body)
        throws IOException, InterruptedException;

    /** Releases the client's threads and connections. */
    default void close() {}
  }

  private static Forwarder jdk(HttpCache cache) {
    HttpClient network =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(ORIGIN_TIMEOUT)
            .build();
    CachedHttpClient client = CachedHttpClient.of(network, cache);
    return (method, target, headers, body) -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(ORIGIN_TIMEOUT);
      headers.forEach((name, values) -> values.forEach(value -> b.header(name, value)));
      boolean noBody = body.length == 0 && (method.equals("GET") || method.equals("HEAD"));
      b.method(method, noBody ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> response = client.send(b.build(), BodyHandlers.ofByteArray());
      return new Answer(
          response.statusCode(),
          response.headers(),
          response.body(),
          CachedHttpClient.metadata(response));
    };
  }

  /**
   * OkHttp with the cache as its application interceptor, set as the JDK client is: HTTP/1.1,
   * redirects not followed, the same timeouts, and no silent retry of a failed connection (one
   * request to the proxy is at most one to the origin). Connections to the origin are not kept for
   * reuse: some test servers answer with more body bytes than their {@code Content-Length} says
   * (the HTTP caching test suite does, to test how a stored {@code Content-Length} is handled), and
   * OkHttp would read those bytes as the start of the next response on that connection. OkHttp's
   * own defaults stay: it asks for gzip when the request names no {@code Accept-Encoding} and
   * decodes the answer, and it names itself in {@code User-Agent} when the request has none.
   */
  private static final class OkHttpForwarder implements Forwarder {
    /** Methods that OkHttp sends only with a body, if an empty one. */
    private static final Set<String> BODY_REQUIRED =
        Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT", "QUERY");

    private final OkHttpClient client;

    OkHttpForwarder(HttpCache cache) {
      this.client =
          new OkHttpClient.Builder()
              .addInterceptor(CacheInterceptor.of(cache))
              .protocols(List.of(Protocol.HTTP_1_1))
              .followRedirects(false)
              .followSslRedirects(false)
              .retryOnConnectionFailure(false)
              .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
              .connectTimeout(ORIGIN_TIMEOUT)
              .readTimeout(ORIGIN_TIMEOUT)
              .build();
    }

    @Override
    public Answer send(String method, URI target, Map<String, List<String>> headers, byte[] body)
        throws IOException {
      okhttp3.Headers.Builder h = new okhttp3.Headers.Builder();
      headers.forEach((name, values) -> values.forEach(value -> h.addUnsafeNonAscii(name, value)));
      RequestBody requestBody =
          body.length > 0 || BODY_REQUIRED.contains(method) ? RequestBody.create(body, null) : null;
      okhttp3.Request request =
          new okhttp3.Request.Builder()
              .url(target.toString())
              .headers(h.build())
              .method(method, requestBody)
              .build();
      try (okhttp3.Response response = client.newCall(request).execute()) {
        byte[] bytes = response.body().bytes();
        Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        okhttp3.Headers received = response.headers();
        for (int i = 0; i < received.size(); i++) {
          map.computeIfAbsent(received.name(i), k -> new ArrayList<>()).add(received.value(i));
        }
        return new Answer(
            response.code(),
            HttpHeaders.of(map, (a, b) -> true),
            bytes,
            CacheInterceptor.metadata(response));
      }
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      forward(exchange);
    } catch (IOException | RuntimeException e) {
      // The client went away mid-response, or the server failed: nothing more can be sent.
      io.warning("proxy: " + exchange.getRequestMethod() + " failed: " + Errors.message(e));
    } finally {
      exchange.close();
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    URI target = target(exchange.getRequestURI());
    String shown = cache.redacted(target);
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null) {
      sendText(exchange, method, 413, "request body larger than " + MAX_REQUEST_BODY + " bytes");
      return;
    }
    Answer response;
    try {
      response = forwarder.send(method, target, requestHeaders(exchange.getRequestHeaders()), body);
    } catch (IllegalArgumentException e) {
      sendText(exchange, method, 400, "cannot forward this request: " + Errors.message(e));
      return;
    } catch (IntegrityException e) {
      io.warning("proxy: " + method + " " + shown + ": " + Errors.message(e));
      sendText(exchange, method, 500, "cache integrity failure: " + Errors.message(e));
      return;
    } catch (IOException e) {
      String line = Errors.request(shown, e);
      io.warning("proxy: " + line);
      sendText(exchange, method, 502, line);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendText(exchange, method, 502, "interrupted while fetching " + shown);
      return;
    }
    CacheMetadata metadata = response.metadata();
    int status = response.status();
    if (verbose) {
      io.err().println(method + " " + shown + " -> " + status + " (" + how(metadata) + ")");
    }
    List<String> stripped = copyResponseHeaders(method, response, exchange.getResponseHeaders());
    byte[] bytes = response.body();
    if (metadata.fromCache()) {
      // What the proxy has to fix anyway in a stored response would hide a fault of the cache
      // from a test suite: say so, one line each, marked "masked" for scripts to find.
      if (!stripped.isEmpty()) {
        io.warning(
            "proxy: masked: the cache served "
                + method
                + " "
                + shown
                + " from storage with hop-by-hop field(s) "
                + String.join(", ", stripped)
                + "; the proxy removed them");
      }
      Optional<String> length = response.headers().firstValue("Content-Length");
      if (hasBody(method, status)
          && length.isPresent()
          && !length.get().strip().equals(String.valueOf(bytes.length))) {
        io.warning(
            "proxy: masked: the cache served "
                + method
                + " "
                + shown
                + " from storage with Content-Length "
                + length.get()
                + " and a body of "
                + bytes.length
                + " bytes; the proxy sent the body's length");
      }
    }
    if (!hasBody(method, status) || bytes.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private URI target(URI requestUri) {
    String path = requestUri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = requestUri.getRawQuery();
    return URI.create(origin + path + (query == null ? "" : "?" + query));
  }

  /** Reads the whole request body; null when it is larger than {@link #MAX_REQUEST_BODY}. */
  private static byte @Nullable [] readBody(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + n > MAX_REQUEST_BODY) {
          return null;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /**
   * Returns the request fields to forward: all but the hop-by-hop ones and those the clients write
   * themselves, with {@code Via} appended.
   */
  private static Map<String, List<String>> requestHeaders(Headers headers) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    Set<String> skip = connectionOptions(headers.entrySet(), Map.Entry::getKey, headers::get);
    List<String> via = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String name = e.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (skip.contains(lower) || CLIENT_OWNED.contains(lower)) {
        continue;
      }
      if (lower.equals("via")) {
        via.addAll(e.getValue());
        continue;
      }
      out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(e.getValue());
    }
    via.add(VIA);
    out.put("Via", List.of(String.join(", ", via)));
    return out;
  }

  /**
   * Copies the response's fields except the hop-by-hop ones and {@code Content-Length} (which the
   * server writes from the body), and returns the hop-by-hop ones it left out.
   */
  private static List<String> copyResponseHeaders(String method, Answer response, Headers out) {
    HttpHeaders headers = response.headers();
    Map<String, List<String>> map = headers.map();
    Set<String> skip = connectionOptions(map.entrySet(), Map.Entry::getKey, map::get);
    List<String> stripped = new ArrayList<>();
    // A HEAD or 304 response has no body to measure: its Content-Length is the origin's to give.
    boolean keepLength = method.equals("HEAD") || response.status() == 304;
    for (Map.Entry<String, List<String>> e : map.entrySet()) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      if (skip.contains(lower)) {
        stripped.add(e.getKey());
        continue;
      }
      if (lower.equals("content-length") && !keepLength) {
        continue;
      }
      if (lower.startsWith(":")) {
        continue; // an HTTP/2 pseudo-header, should one ever appear
      }
      for (String value : e.getValue()) {
        out.add(e.getKey(), value);
      }
    }
    return stripped;
  }

  /**
   * Returns the lower-case names of the hop-by-hop fields of a message: the standard ones and the
   * ones its {@code Connection} field names.
   */
  private static <E> Set<String> connectionOptions(
      Iterable<E> entries,
      Function<E, String> name,
      Function<String, @Nullable List<String>> values) {
    Set<String> names = new TreeSet<>(HOP_BY_HOP);
    for (E entry : entries) {
      String key = name.apply(entry);
      if (!key.equalsIgnoreCase("connection")) {
        continue;
      }
      List<String> connection = values.apply(key);
      if (connection == null) {
        continue;
      }
      for (String value : connection) {
        for (String option : value.split(",", -1)) {
          String o = option.strip().toLowerCase(Locale.ROOT);
          if (!o.isEmpty()) {
            names.add(o);
          }
        }
      }
    }
    return names;
  }

  private static boolean hasBody(String method, int status) {
    return !method.equals("HEAD") && status >= 200 && status != 204 && status != 304;
  }

  private static String how(CacheMetadata metadata) {
    if (!metadata.fromCache()) {
      return "network";
    }
    if (metadata.revalidated()) {
      return "cache, revalidated";
    }
    return metadata.expired() ? "cache, stale" : "cache";
  }

  private static void sendText(HttpExchange exchange, String method, int status, String text)
      throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (method.equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
