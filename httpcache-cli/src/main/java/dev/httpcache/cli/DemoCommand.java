package dev.httpcache.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code httpcache demo}: starts a slow origin on a free loopback port, fetches it several times
 * through the cache, and prints for each request its status, whether it came from the cache and how
 * long it took; then where the cache file is and how many entries it holds. Needs no network.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Shows the cache at work: fetches a slow local origin several times through the cache.",
      "The first request is a miss that waits for the origin; the others are hits."
    },
    footer = {
      "",
      "Exit status: 0 on success, 1 when the origin or the cache fails, 2 on bad usage."
    })
final class DemoCommand implements Callable<Integer> {
  private static final int MAX_REQUESTS = 1000;
  private static final Duration MAX_DELAY = Duration.ofMinutes(1);

  private final Io io;

  @Mixin private CacheOption cache = new CacheOption();

  @Option(
      names = {"-n", "--requests"},
      paramLabel = "N",
      defaultValue = "4",
      description = "How many requests to make (default: ${DEFAULT-VALUE}).")
  private int requests = 4;

  @Option(
      names = "--delay",
      paramLabel = "DURATION",
      defaultValue = "300ms",
      converter = Durations.DurationConverter.class,
      description = "How long the origin takes to answer (default: ${DEFAULT-VALUE}).")
  private Duration delay = Duration.ofMillis(300);

  DemoCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (requests < 1 || requests > MAX_REQUESTS) {
      throw CommandFailure.usage(
          "--requests must be from 1 to " + MAX_REQUESTS + ", not " + requests);
    }
    if (delay.compareTo(MAX_DELAY) > 0) {
      throw CommandFailure.usage("--delay must be at most 1m, not " + delay);
    }
    AtomicInteger served = new AtomicInteger();
    HttpServer server = startOrigin(served);
    try {
      return run(server, served);
    } finally {
      server.stop(0);
    }
  }

  private int run(HttpServer server, AtomicInteger served) {
    URI uri =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow?demo=httpcache");
    PrintWriter out = io.out();
    Reporter reporter = new Reporter(io);
    String file = cache.describe();
    long entries;
    try (HttpCache httpCache = reporter.open(cache, System::getenv)) {
      // The port is new on each run, but may be one an earlier run used: start from no entry, so
      // that the first request is always a miss.
      httpCache.storage().remove(Namespace.RESPONSES, httpCache.key(CachedRequest.get(uri)));
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), httpCache);
      HttpRequest request = HttpRequest.newBuilder(uri).build();
      out.printf(
          Locale.ROOT,
          "Fetching %s %d times; the origin takes %d ms to answer.%n",
          uri,
          requests,
          delay.toMillis());
      for (int i = 1; i <= requests; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = send(client, request, uri);
        double millis = (System.nanoTime() - start) / 1e6;
        CacheMetadata metadata = CachedHttpClient.metadata(response);
        out.printf(
            Locale.ROOT,
            "request %d: status %d, %-4s %9.3f ms%n",
            i,
            response.statusCode(),
            metadata.fromCache() ? "hit" : "miss",
            millis);
      }
      entries = httpCache.storage().count(Namespace.RESPONSES);
    } catch (IOException e) {
      throw CommandFailure.failure("cache " + file + " failed: " + Errors.message(e));
    }
    int fromOrigin = served.get();
    out.printf(
        Locale.ROOT,
        "The origin answered %d of %d requests; the cache answered %d.%n",
        fromOrigin,
        requests,
        requests - fromOrigin);
    out.printf(
        Locale.ROOT,
        (cache.isFolder() || cache.isRedis() ? "Cache: " : "Cache file: ") + "%s (%d %s)%n",
        file,
        entries,
        entries == 1 ? "entry" : "entries");
    if (reporter.faults() > 0) {
      throw CommandFailure.failure(
          "the cache failed " + reporter.faults() + " time(s); see the warnings above");
    }
    return 0;
  }

  private static HttpResponse<String> send(CachedHttpClient client, HttpRequest request, URI uri) {
    try {
      return client.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw CommandFailure.failure(Errors.request(uri.toString(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CommandFailure.failure("interrupted");
    }
  }

  /** Starts the origin: one endpoint that waits {@link #delay}, then answers a little JSON. */
  private HttpServer startOrigin(AtomicInteger served) {
    HttpServer server;
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    } catch (IOException e) {
      throw CommandFailure.failure("cannot start the demo origin: " + Errors.message(e));
    }
    server.createContext("/slow", exchange -> answer(exchange, served));
    server.start();
    return server;
  }

  private void answer(HttpExchange exchange, AtomicInteger served) throws IOException {
    try {
      int n = served.incrementAndGet();
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body =
          ("{\"message\": \"hello from a slow origin\", \"served\": " + n + "}\n")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    } finally {
      exchange.close();
    }
  }
}
