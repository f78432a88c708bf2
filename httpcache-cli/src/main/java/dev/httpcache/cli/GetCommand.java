package dev.httpcache.cli;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.policy.ExpireAfter;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code httpcache get URL}: fetches a URL through the cache, curl-like. The body goes to standard
 * output as it is, so that it can be piped; the status and the cache status go to standard error.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = HttpcacheCommand.Version.class,
    sortOptions = false,
    description = {
      "Fetches URL through the cache.",
      "The body goes to standard output; the status and the cache status (hit or miss, created,"
          + " expires, key) go to standard error."
    },
    footer = {
      "",
      "Exit status: 0 when a response arrived (whatever its status), 1 when the request or the"
          + " cache failed, 2 on bad usage."
    })
final class GetCommand implements Callable<Integer> {
  private final Io io;
  private final UnaryOperator<@Nullable String> environment;

  @Parameters(index = "0", paramLabel = "URL", description = "The http:// or https:// URL.")
  private String url = "";

  @Option(
      names = {"-X", "--request"},
      paramLabel = "METHOD",
      description = "The request method, sent as given; by default GET, or POST with --data.")
  private @Nullable String method;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'Name: value'",
      converter = Header.Converter.class,
      description = "A request header; repeat the option for more.")
  private List<Header> headers = new ArrayList<>();

  @Option(
      names = {"-d", "--data"},
      paramLabel = "DATA",
      description = {
        "The request body, sent as given; @FILE sends the bytes of FILE.",
        "Implies POST when -X is absent, and Content-Type:"
            + " application/x-www-form-urlencoded when no -H gives one, as curl does."
      })
  private @Nullable String data;

  @Mixin private CacheOption cache = new CacheOption();

  @Option(
      names = "--expire-after",
      paramLabel = "DURATION",
      converter = Durations.ExpirationConverter.class,
      description = {
        "How long the response stays fresh once stored: e.g. 30s, 10m, 1h, 1h30m, 2d, PT10M,",
        "'never', or 0 to store it already expired (it is then revalidated on each use)."
      })
  private @Nullable ExpireAfter expireAfter;

  @Option(
      names = "--only-if-cached",
      description = "Never use the network: answer 504 when nothing usable is stored.")
  private boolean onlyIfCached;

  @Option(
      names = "--refresh",
      description = "Revalidate a stored response that has a validator, even while fresh.")
  private boolean refresh;

  @Option(
      names = "--force-refresh",
      description = "Ignore any stored response: fetch, and store the new one.")
  private boolean forceRefresh;

  @Option(names = "--skip-cache", description = "Neither read nor write the cache.")
  private boolean skipCache;

  @Option(
      names = {"-L", "--location"},
      description = "Follow redirects (not followed by default, as curl).")
  private boolean followRedirects;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.DurationConverter.class,
      description = "How long to wait for a connection (default: ${DEFAULT-VALUE}).")
  private Duration connectTimeout = Duration.ofSeconds(10);

  @Option(
      names = {"-s", "--silent"},
      description = "Print only the body: no status or cache status (errors are still printed).")
  private boolean silent;

  GetCommand(Io io, UnaryOperator<@Nullable String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    URI uri = parseUrl(url);
    RequestOptions options = options();
    HttpRequest request = request(uri);
    Reporter reporter = new Reporter(io);
    HttpResponse<byte[]> response;
    CacheMetadata metadata;
    try (HttpCache httpCache = reporter.open(cache, environment)) {
      HttpClient network =
          HttpClient.newBuilder()
              .connectTimeout(connectTimeout)
              .followRedirects(
                  followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
              .build();
      CachedHttpClient client = CachedHttpClient.of(network, httpCache);
      try {
        response = client.send(request, BodyHandlers.ofByteArray(), options);
      } catch (IOException e) {
        throw CommandFailure.failure(Errors.request(httpCache.redacted(uri), e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CommandFailure.failure("interrupted while fetching " + httpCache.redacted(uri));
      }
      metadata = CachedHttpClient.metadata(response);
      if (!silent) {
        printStatus(httpCache, request, options, response, metadata, reporter);
      }
    } catch (IOException e) {
      // Only closing the cache throws here; the request's own failures are handled above.
      throw CommandFailure.failure(
          "cannot close the cache " + cache.describe() + ": " + Errors.message(e));
    }
    io.writeRaw(response.body());
    return 0;
  }

  private static URI parseUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw CommandFailure.usage("bad URL '" + text + "': " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.isOpaque()) {
      throw CommandFailure.usage("bad URL '" + text + "': expected http://... or https://...");
    }
    if (uri.getHost() == null) {
      throw CommandFailure.usage("bad URL '" + text + "': no host name");
    }
    return uri;
  }

  private RequestOptions options() {
    if (skipCache && (onlyIfCached || refresh || forceRefresh || expireAfter != null)) {
      throw CommandFailure.usage(
          "--skip-cache does not go with --only-if-cached, --refresh, --force-refresh or"
              + " --expire-after");
    }
    if (onlyIfCached && (refresh || forceRefresh)) {
      throw CommandFailure.usage("--only-if-cached cannot refresh: it never uses the network");
    }
    if (refresh && forceRefresh) {
      throw CommandFailure.usage("choose one of --refresh and --force-refresh");
    }
    RequestOptions.Builder b =
        RequestOptions.builder()
            .skipCache(skipCache)
            .onlyIfCached(onlyIfCached)
            .refresh(refresh)
            .forceRefresh(forceRefresh);
    if (expireAfter != null) {
      b.expireAfter(expireAfter);
    }
    return b.build();
  }

  private HttpRequest request(URI uri) {
    byte[] body = body();
    String m = method != null ? method : body != null ? "POST" : "GET";
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    try {
      b.method(m, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      throw CommandFailure.usage("bad method '" + m + "': " + Errors.message(e));
    }
    boolean contentType = false;
    for (Header h : headers) {
      try {
        b.header(h.name(), h.value());
      } catch (IllegalArgumentException e) {
        throw CommandFailure.usage("cannot send header '" + h + "': " + Errors.message(e));
      }
      contentType |= h.name().equalsIgnoreCase("Content-Type");
    }
    if (body != null && !contentType) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return b.build();
  }

  private byte @Nullable [] body() {
    String d = data;
    if (d == null) {
      return null;
    }
    if (d.startsWith("@")) {
      Path file = Path.of(d.substring(1));
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw CommandFailure.failure("cannot read " + file + ": " + Errors.message(e));
      }
    }
    return d.getBytes(StandardCharsets.UTF_8);
  }

  private void printStatus(
      HttpCache httpCache,
      HttpRequest request,
      RequestOptions options,
      HttpResponse<byte[]> response,
      CacheMetadata metadata,
      Reporter reporter) {
    io.err().println("status: " + response.statusCode());
    if (options.skipCache()) {
      io.err().println("cache: skipped (--skip-cache)");
    } else if (!httpCache.allowsMethod(request.method(), request.headers())) {
      io.err().println("cache: skipped (" + request.method() + " requests are not cached)");
    } else if (metadata.fromCache() && options.onlyIfCached() && response.statusCode() == 504) {
      io.err().println("cache: miss (only-if-cached, and nothing usable is stored)");
    } else if (metadata.fromCache()) {
      String how = metadata.revalidated() ? ", revalidated" : metadata.expired() ? ", stale" : "";
      io.err().println("cache: hit" + how);
      printTimes(metadata);
    } else if (reporter.stored(metadata.key())) {
      io.err().println("cache: miss, stored");
      printTimes(metadata);
    } else {
      io.err().println("cache: miss, not stored");
    }
    io.err().println("key: " + metadata.key());
  }

  private void printTimes(CacheMetadata metadata) {
    io.err().println("created: " + format(metadata.createdAt()));
    io.err()
        .println(
            "expires: "
                + metadata.expires().map(GetCommand::format).orElse("never")
                + (metadata.expired() ? " (expired)" : ""));
  }

  private static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
