package dev.httpcache.cli;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code httpcache proxy --origin URL}: a caching reverse proxy on a loopback port, with the cache
 * in RFC 9111 mode ({@link HttpCache#standard()}), for running HTTP caching test suites against the
 * cache through either adapter ({@code --client jdk} or {@code okhttp}). It prints the address it
 * listens on to standard error and runs until it is stopped.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Runs a caching reverse proxy in front of ORIGIN on 127.0.0.1, for HTTP cache test suites.",
      "The cache follows RFC 9111 (HttpCache.standard()), as a private cache unless --shared.",
      "Requests go through CachedHttpClient, or with --client okhttp through OkHttp's CacheInterceptor.",
      "Prints 'listening on http://127.0.0.1:PORT ...' to standard error; stop it with a signal."
    },
    footer = {
      "",
      "Exit status: 0 when stopped, 1 when the port or the cache cannot be opened, 2 on bad usage."
    })
final class ProxyCommand implements Callable<Integer> {
  private final Io io;

  @Option(
      names = "--origin",
      required = true,
      paramLabel = "URL",
      description = "The origin to forward to, e.g. http://127.0.0.1:8000 (a path is a prefix).")
  private String origin = "";

  @Option(
      names = "--listen",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "The port on 127.0.0.1 to listen on (default: ${DEFAULT-VALUE}, a free port).")
  private int port;

  @Option(
      names = "--shared",
      description =
          "Cache as a shared cache (s-maxage, private, Authorization), not a private one.")
  private boolean shared;

  @Option(
      names = "--memory",
      description = "Keep the cache in memory, empty at start (the default).")
  private boolean memory;

  @Option(
      names = "--cache",
      paramLabel = "PATH",
      description = "Keep the cache in this SQLite file instead of in memory.")
  private @Nullable Path cacheFile;

  @Option(
      names = "--client",
      paramLabel = "CLIENT",
      defaultValue = "jdk",
      description =
          "The caching client to forward through: jdk (CachedHttpClient, the default) or okhttp"
              + " (OkHttp with CacheInterceptor).")
  private String client = "jdk";

  @Option(
      names = {"-v", "--verbose"},
      description = "Print one line per request: method, URL, status, network or cache.")
  private boolean verbose;

  ProxyCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    URI originUri = parseOrigin(origin);
    if (port < 0 || port > 65535) {
      throw CommandFailure.usage("--listen must be a port from 0 to 65535, not " + port);
    }
    Path file = cacheFile;
    if (memory && file != null) {
      throw CommandFailure.usage("choose one of --memory and --cache");
    }
    Proxy.Client forwarding = parseClient(client);
    Reporter reporter = new Reporter(io);
    HttpCache cache =
        HttpCache.standard()
            .shared(shared)
            .storage(file == null ? Storage.inMemory() : openSqlite(file))
            .listener(reporter)
            .build();
    Proxy proxy;
    try {
      proxy = Proxy.start(port, originUri, cache, io, verbose, forwarding);
    } catch (IOException e) {
      closeQuietly(cache);
      throw CommandFailure.failure("cannot listen on 127.0.0.1:" + port + ": " + Errors.message(e));
    }
    io.err()
        .println(
            "listening on "
                + proxy.uri()
                + " (origin "
                + originUri
                + ", "
                + (shared ? "shared" : "private")
                + " cache "
                + (file == null ? "in memory" : "in " + file.toAbsolutePath())
                + (forwarding == Proxy.Client.JDK ? "" : ", through OkHttp's CacheInterceptor")
                + ")");
    // Stopped by a signal, the JVM runs this hook; stopped by an interrupt (tests), the code below.
    Thread hook = new Thread(() -> stop(proxy, cache), "httpcache-proxy-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      // Asked to stop.
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return 0; // the JVM is shutting down, and the hook stops the proxy
    }
    stop(proxy, cache);
    return 0;
  }

  private static void stop(Proxy proxy, HttpCache cache) {
    proxy.close();
    closeQuietly(cache);
  }

  private static void closeQuietly(HttpCache cache) {
    try {
      cache.close();
    } catch (IOException e) {
      // Stopping: nothing left to tell.
    }
  }

  private static Storage openSqlite(Path path) {
    try {
      return Storage.sqlite(path);
    } catch (IOException | RuntimeException e) {
      throw CommandFailure.failure(
          "cannot open the cache " + path.toAbsolutePath() + ": " + Errors.message(e));
    }
  }

  private static Proxy.Client parseClient(String text) {
    switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "jdk":
        return Proxy.Client.JDK;
      case "okhttp":
        return Proxy.Client.OKHTTP;
      default:
        throw CommandFailure.usage("--client must be jdk or okhttp, not '" + text + "'");
    }
  }

  private static URI parseOrigin(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw CommandFailure.usage("bad --origin '" + text + "': " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.isOpaque()
        || uri.getHost() == null) {
      throw CommandFailure.usage(
          "bad --origin '" + text + "': expected http://HOST[:PORT] or https://HOST[:PORT]");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw CommandFailure.usage("bad --origin '" + text + "': no query or fragment, please");
    }
    return uri;
  }
}
