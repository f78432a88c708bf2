package dev.httpcache.jdk;

import dev.httpcache.CacheMetadata;
import dev.httpcache.Exchange;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.CacheDecision;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HttpClient} that answers from an {@link HttpCache} where it can and sends the rest
 * through the client it wraps. Any code that takes an {@code HttpClient} can be handed one.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder().expireAfter(Duration.ofMinutes(10)).build();
 * HttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * CacheMetadata meta = CachedHttpClient.metadata(response);
 * System.out.println(meta.fromCache() + " " + meta.expires());
 * }</pre>
 *
 * <p>Every body handler works: a cached body is replayed through the caller's handler ({@code
 * ofString}, {@code ofByteArray}, {@code ofInputStream}, {@code ofFile}, {@code ofLines}, {@code
 * discarding}, ...). A network body is passed to the caller's handler as it arrives and copied on
 * the side; it is stored once it has been read whole, if it fits in the cache's body limit. The
 * request that reaches the origin is the caller's own, with only the conditional headers of a
 * revalidation added; cache options never go onto the wire.
 *
 * <p>When the wrapped client has an {@link java.net.Authenticator}, responses are served from the
 * cache but never stored: the authenticator adds credentials beneath the cache, invisible to its
 * matching and redaction, so a response fetched with them could otherwise answer a request made
 * without them (another client on the same storage). Send credentials as an {@code Authorization}
 * header instead, and the cache's rules for secrets apply.
 *
 * <p>{@link #sendAsync} reads and writes the storage off the caller's thread: on the wrapped
 * client's executor when it has one, else on a shared pool of daemon threads. Thread-safe. Closing
 * the client does not close the cache.
 */
public final class CachedHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final HttpCache cache;
  private final RequestOptions defaults;
  private final Executor executor;

  /**
   * Whether the wrapped client has an {@link java.net.Authenticator}: it adds credentials beneath
   * the cache (after a 401 or 407, and preemptively once it knows a server), so the cache cannot
   * tell which responses were fetched with whose credentials, and stores none of them.
   */
  private final boolean credentialsBelow;

  private CachedHttpClient(HttpClient delegate, HttpCache cache, RequestOptions defaults) {
    this.delegate = delegate;
    this.cache = cache;
    this.defaults = defaults;
    this.executor = delegate.executor().orElseGet(DefaultExecutor::get);
    this.credentialsBelow = delegate.authenticator().isPresent();
  }

  /** Returns a client that caches the requests of {@code delegate} in {@code cache}. */
  public static CachedHttpClient of(HttpClient delegate, HttpCache cache) {
    return new CachedHttpClient(
        Objects.requireNonNull(delegate, "delegate"),
        Objects.requireNonNull(cache, "cache"),
        RequestOptions.DEFAULT);
  }

  /** Returns a client over {@link HttpClient#newHttpClient()} that caches in {@code cache}. */
  public static CachedHttpClient of(HttpCache cache) {
    return of(HttpClient.newHttpClient(), cache);
  }

  /**
   * Returns a view of this client whose requests all use {@code options}; for handing a client
   * with, say, a short expiry to code that takes an {@code HttpClient}.
   */
  public CachedHttpClient withOptions(RequestOptions options) {
    return new CachedHttpClient(delegate, cache, Objects.requireNonNull(options, "options"));
  }

  /** Returns the cache. */
  public HttpCache cache() {
    return cache;
  }

  /** Returns the client that sends requests to the network. */
  public HttpClient delegate() {
    return delegate;
  }

  /**
   * Returns the cache metadata of a response this client returned.
   *
   * @throws IllegalArgumentException when the response did not come from a CachedHttpClient
   */
  public static CacheMetadata metadata(HttpResponse<?> response) {
    if (response instanceof CachedHttpResponse) {
      return ((CachedHttpResponse<?>) response).metadata();
    }
    throw new IllegalArgumentException(
        "not a response of a CachedHttpClient: " + response.getClass().getName());
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return send(request, handler, defaults);
  }

  /**
   * Sends {@code request} with per-request cache options, blocking until the response headers have
   * arrived (or the cached response is ready) and the handler has produced the body.
   *
   * @throws IOException when the network fails
   * @throws InterruptedException when the calling thread is interrupted
   */
  public <T> HttpResponse<T> send(
      HttpRequest request, BodyHandler<T> handler, RequestOptions options)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    Prepared prepared = prepare(request, options, true);
    Optional<CompletableFuture<Void>> ahead = prepared.exchange.awaitedLeader();
    if (ahead.isPresent()) {
      // An identical request is on its way: wait for it to store its response, then look again.
      try {
        ahead.get().get(prepared.exchange.coalescingTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // It failed or is slow: go on alone.
      }
      prepared = prepare(request, options, false);
    }
    Exchange exchange = prepared.exchange;
    if (prepared.bypass) {
      HttpResponse<T> response = delegate.send(request, handler);
      exchange.answered(response.statusCode(), response.headers());
      return passThrough(request, exchange, response);
    }
    CacheDecision decision = exchange.decision();
    if (decision instanceof CacheDecision.Serve) {
      return await(
          serve(request, handler, exchange, ((CacheDecision.Serve) decision).response(), false));
    }
    if (decision instanceof CacheDecision.ServeStale) {
      refreshInBackground(prepared);
      return await(
          serve(
              request, handler, exchange, ((CacheDecision.ServeStale) decision).response(), false));
    }
    if (decision instanceof CacheDecision.Unsatisfiable) {
      return await(unsatisfiable(request, handler, exchange));
    }
    Call<T> call = new Call<>(request, prepared.networkRequest(), handler, exchange);
    HttpResponse<T> response;
    try {
      response = delegate.send(call.networkRequest, call);
    } catch (IOException e) {
      exchange.done();
      Optional<CachedResponse> stale = exchange.errorFallback();
      if (stale.isPresent()) {
        return await(serve(request, handler, exchange, stale.get(), false));
      }
      throw e;
    } catch (InterruptedException | RuntimeException e) {
      exchange.done();
      throw e;
    }
    return await(call.finish(response));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, defaults);
  }

  /**
   * Sends {@code request} asynchronously with per-request cache options. The storage is read and
   * written off the calling thread.
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, RequestOptions options) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    return CompletableFuture.supplyAsync(() -> prepareOrThrow(request, options, true), executor)
        .thenCompose(
            prepared -> {
              Optional<CompletableFuture<Void>> ahead = prepared.exchange.awaitedLeader();
              if (ahead.isEmpty()) {
                return dispatchAsync(request, handler, prepared);
              }
              long wait = prepared.exchange.coalescingTimeout().toMillis();
              return ahead
                  .get()
                  .orTimeout(wait, TimeUnit.MILLISECONDS)
                  .handle((ignored, error) -> null)
                  .thenApplyAsync(ignored -> prepareOrThrow(request, options, false), executor)
                  .thenCompose(again -> dispatchAsync(request, handler, again));
            });
  }

  private Prepared prepareOrThrow(HttpRequest request, RequestOptions options, boolean coalesce) {
    try {
      return prepare(request, options, coalesce);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private <T> CompletableFuture<HttpResponse<T>> dispatchAsync(
      HttpRequest request, BodyHandler<T> handler, Prepared prepared) {
    Exchange exchange = prepared.exchange;
    if (prepared.bypass) {
      return delegate
          .sendAsync(request, handler)
          .thenApply(
              response -> {
                exchange.answered(response.statusCode(), response.headers());
                return passThrough(request, exchange, response);
              });
    }
    CacheDecision decision = exchange.decision();
    if (decision instanceof CacheDecision.Serve) {
      return serve(request, handler, exchange, ((CacheDecision.Serve) decision).response(), false);
    }
    if (decision instanceof CacheDecision.ServeStale) {
      refreshInBackground(prepared);
      return serve(
          request, handler, exchange, ((CacheDecision.ServeStale) decision).response(), false);
    }
    if (decision instanceof CacheDecision.Unsatisfiable) {
      return unsatisfiable(request, handler, exchange);
    }
    Call<T> call = new Call<>(request, prepared.networkRequest(), handler, exchange);
    return delegate
        .sendAsync(call.networkRequest, call)
        .thenComposeAsync(call::finish, executor)
        .exceptionallyCompose(
            error -> {
              exchange.done();
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              Optional<CachedResponse> stale = exchange.errorFallback();
              if (cause instanceof IOException && stale.isPresent()) {
                return serve(request, handler, exchange, stale.get(), false);
              }
              return CompletableFuture.failedFuture(cause == null ? error : cause);
            });
  }

  /**
   * Refreshes a stale response that is being served at once (stale-while-revalidate), in the
   * background: at most one refresh per entry, and a bounded number in all.
   */
  private void refreshInBackground(Prepared prepared) {
    Optional<Exchange> refresh = prepared.exchange.refreshing();
    if (refresh.isEmpty()) {
      return;
    }
    Exchange exchange = refresh.get();
    // The refresh slot of this key is given back on every path, or no refresh would run again.
    try {
      Prepared again = new Prepared(prepared.original, exchange, false, prepared.resendable);
      Call<Void> call =
          new Call<>(
              prepared.original, again.networkRequest(), BodyHandlers.discarding(), exchange);
      delegate
          .sendAsync(call.networkRequest, call)
          .whenCompleteAsync(
              (response, error) -> {
                try {
                  if (response != null) {
                    call.finish(response).join();
                  }
                } finally {
                  exchange.done();
                }
              },
              executor);
    } catch (RuntimeException e) {
      exchange.done();
      throw e;
    }
  }

  /**
   * Sends with a push promise handler. Pushed responses are not cached; the main response is
   * handled as by {@link #sendAsync(HttpRequest, BodyHandler)} only when no push handler is given.
   */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    if (pushPromiseHandler == null) {
      return sendAsync(request, handler);
    }
    CachedRequest view =
        CachedRequest.ofOwned(request.method(), request.uri(), request.headers(), new byte[0]);
    Exchange exchange;
    try {
      exchange = cache.begin(view, RequestOptions.SKIP_CACHE);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e); // cannot happen: nothing is read
    }
    return delegate
        .sendAsync(request, handler, pushPromiseHandler)
        .thenApply(response -> passThrough(request, exchange, response));
  }

  /** The request as the cache sees it, its exchange, and whether it bypasses the cache. */
  private static final class Prepared {
    final HttpRequest original;
    final Exchange exchange;
    final boolean bypass;
    final @Nullable HttpRequest resendable;

    Prepared(
        HttpRequest original, Exchange exchange, boolean bypass, @Nullable HttpRequest resendable) {
      this.original = original;
      this.exchange = exchange;
      this.bypass = bypass;
      this.resendable = resendable;
    }

    HttpRequest networkRequest() {
      HttpRequest base = resendable != null ? resendable : original;
      if (exchange.decision() instanceof CacheDecision.Revalidate) {
        Map<String, String> conditional =
            ((CacheDecision.Revalidate) exchange.decision()).conditionalHeaders();
        HttpRequest.Builder b =
            HttpRequest.newBuilder(base, (name, value) -> !conditional.containsKey(name));
        conditional.forEach(b::header);
        return b.build();
      }
      return base;
    }
  }

  private Prepared prepare(HttpRequest request, RequestOptions options, boolean coalesce)
      throws IOException {
    if (!cache.allowsMethod(request.method(), request.headers()) || options.skipCache()) {
      // Not cacheable: the request bypasses the cache without reading its body.
      CachedRequest view =
          CachedRequest.ofOwned(request.method(), request.uri(), request.headers(), new byte[0]);
      return new Prepared(request, cache.begin(view, RequestOptions.SKIP_CACHE), true, null);
    }
    byte[] body = new byte[0];
    HttpRequest resendable = null;
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isPresent() && publisher.get().contentLength() != 0) {
      try {
        body = Bodies.read(publisher.get()).get();
      } catch (ExecutionException e) {
        throw new IOException(
            "cannot read the request body to compute its cache key", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the request body");
      }
      if (publisher.get().contentLength() < 0) {
        // A streaming publisher may not be readable twice: send the bytes already read.
        resendable =
            HttpRequest.newBuilder(request, (n, v) -> true)
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
      }
    }
    CachedRequest cachedRequest =
        CachedRequest.ofOwned(request.method(), request.uri(), request.headers(), body);
    return new Prepared(request, cache.begin(cachedRequest, options, coalesce), false, resendable);
  }

  private static <T> CompletableFuture<HttpResponse<T>> serve(
      HttpRequest request,
      BodyHandler<T> handler,
      Exchange exchange,
      CachedResponse response,
      boolean revalidated) {
    // A caller's own conditional request that the stored response satisfies gets a 304.
    return serve(
        request,
        handler,
        exchange,
        response,
        revalidated,
        exchange.satisfiesCallersCondition(response),
        null);
  }

  /**
   * Replays a stored response into the caller's handler, as a 304 with no body when {@code
   * notModified}; {@code network} is the exchange that led to it, if one did (its version, TLS
   * session and previous responses are the served response's).
   */
  private static <T> CompletableFuture<HttpResponse<T>> serve(
      HttpRequest request,
      BodyHandler<T> handler,
      Exchange exchange,
      CachedResponse response,
      boolean revalidated,
      boolean notModified,
      @Nullable HttpResponse<T> network) {
    HttpHeaders headers = exchange.servedHeaders(response, revalidated);
    int status = notModified ? 304 : response.statusCode();
    ResponseInfo info = info(status, headers);
    return Bodies.then(
        Bodies.replay(handler, info, notModified ? new byte[0] : response.bodyUnsafe()),
        body ->
            new CachedHttpResponse<>(
                status,
                request,
                headers,
                body,
                exchange.uriOf(response),
                network == null ? Version.HTTP_1_1 : network.version(),
                network,
                exchange.cachedMetadata(response, revalidated)));
  }

  private <T> CompletableFuture<HttpResponse<T>> unsatisfiable(
      HttpRequest request, BodyHandler<T> handler, Exchange exchange) {
    HttpHeaders headers = HttpHeaders.of(Map.of(), (a, b) -> true);
    return Bodies.replay(handler, info(504, headers), new byte[0])
        .thenApply(
            body ->
                new CachedHttpResponse<>(
                    504,
                    request,
                    headers,
                    body,
                    request.uri(),
                    Version.HTTP_1_1,
                    null,
                    exchange.unsatisfiedMetadata()));
  }

  private static <T> HttpResponse<T> passThrough(
      HttpRequest request, Exchange exchange, HttpResponse<T> response) {
    CacheMetadata metadata = exchange.networkMetadata(exchange.now());
    return new CachedHttpResponse<>(
        response.statusCode(),
        request,
        response.headers(),
        response.body(),
        response.uri(),
        response.version(),
        response,
        metadata);
  }

  private static ResponseInfo info(int status, HttpHeaders headers) {
    return new ResponseInfo() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public Version version() {
        return Version.HTTP_1_1;
      }
    };
  }

  private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future)
      throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof UncheckedIOException) {
        throw ((UncheckedIOException) cause).getCause();
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IOException(cause);
    }
  }

  /**
   * One network call made for the cache: the body handler that tees a storable body into the cache
   * or turns a 304 into the stored response, and the step that wraps the result.
   */
  private final class Call<T> implements BodyHandler<T> {
    final HttpRequest original;
    final HttpRequest networkRequest;
    final BodyHandler<T> handler;
    final Exchange exchange;
    private volatile @Nullable HttpHeaders notModified;
    private volatile @Nullable CachedResponse servedStale;
    private volatile boolean storable;
    private volatile @Nullable Instant receivedAt;
    // Guarded by this: the body may complete before or after the response is returned.
    private @Nullable URI finalUri;
    private @Nullable CachedResponse stored;

    Call(
        HttpRequest original,
        HttpRequest networkRequest,
        BodyHandler<T> handler,
        Exchange exchange) {
      this.original = original;
      this.networkRequest = networkRequest;
      this.handler = handler;
      this.exchange = exchange;
    }

    @Override
    public BodySubscriber<T> apply(ResponseInfo info) {
      receivedAt = exchange.now();
      int status = info.statusCode();
      exchange.answered(status, info.headers());
      if (status == 304 && exchange.decision() instanceof CacheDecision.Revalidate) {
        // The stored response is updated with these headers and replayed into the caller's handler
        // by finish, on the thread that read it from the storage and that serves it: done here, on
        // the client's thread, the entry and its update would each cross between cores. The 304's
        // empty body goes to one of the JDK's own subscribers, which the client completes on the
        // thread that read the response: a subscriber of ours would cost a hand-off to its
        // executor.
        notModified = info.headers();
        return BodySubscribers.replacing(null);
      }
      Optional<CachedResponse> fallback = exchange.errorFallback();
      if (status >= 500 && fallback.isPresent()) {
        // stale-if-error: the stored response answers instead of the origin's error, whose body
        // is read and dropped.
        exchange.done();
        servedStale = fallback.get();
        return BodySubscribers.replacing(null);
      }
      BodySubscriber<T> downstream = handler.apply(info);
      long length = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
      if (credentialsBelow
          || !exchange.mayStore(status, info.headers())
          || length > exchange.maxBodySize()) {
        exchange.done();
        return downstream;
      }
      storable = true;
      HttpHeaders headers = info.headers();
      return TeeSubscriber.of(
          downstream,
          exchange.maxBodySize(),
          length,
          bytes -> store(status, headers, bytes),
          exchange::done);
    }

    private synchronized void store(int status, HttpHeaders headers, byte[] bytes) {
      URI uri = finalUri != null ? finalUri : original.uri();
      try {
        stored = exchange.store(status, headers, uri, bytes).orElse(null);
      } finally {
        exchange.done();
      }
    }

    /**
     * Records where the response came from. When redirects were followed and the body was stored
     * before the final URL was known, the entry is written again with it and an alias.
     */
    private synchronized void redirectedTo(URI uri) {
      finalUri = uri;
      CachedResponse entry = stored;
      if (entry != null && !entry.uri().equals(uri)) {
        stored = exchange.relocate(entry, uri).orElse(null);
      }
    }

    /**
     * Wraps the network's response for the caller. When a 304 revalidated the stored response, the
     * stored response is first updated with the 304's headers and written back; when it did, or
     * when stale-if-error answers for an error, the stored body is replayed into the caller's
     * handler first, on this thread.
     */
    CompletableFuture<HttpResponse<T>> finish(HttpResponse<T> response) {
      if (storable && !response.uri().equals(original.uri())) {
        redirectedTo(response.uri());
        // The hops between the first request and the final response: each gets its own alias.
        java.util.List<URI> hops = new java.util.ArrayList<>();
        Optional<HttpResponse<T>> previous = response.previousResponse();
        while (previous.isPresent()) {
          URI hop = previous.get().uri();
          if (!hop.equals(original.uri()) && !hop.equals(response.uri())) {
            hops.add(hop);
          }
          previous = previous.get().previousResponse();
        }
        exchange.aliasRedirectHops(hops);
      }
      HttpHeaders revalidation = notModified;
      if (revalidation != null) {
        CachedResponse updated;
        try {
          updated = exchange.notModified(revalidation);
        } finally {
          exchange.done();
        }
        boolean satisfied = exchange.satisfiesCallersCondition(updated);
        return serve(original, handler, exchange, updated, true, satisfied, response);
      }
      CachedResponse stale = servedStale;
      if (stale != null) {
        return serve(original, handler, exchange, stale, false, false, response);
      }
      Instant at = receivedAt;
      return CompletableFuture.completedFuture(
          new CachedHttpResponse<>(
              response.statusCode(),
              original,
              response.headers(),
              response.body(),
              response.uri(),
              response.version(),
              response,
              exchange.networkMetadata(
                  at == null ? exchange.now() : at,
                  storable,
                  response.statusCode(),
                  response.headers())));
    }
  }

  /** The shared pool for storage work of asynchronous calls when the delegate has no executor. */
  private static final class DefaultExecutor {
    private static final ExecutorService POOL =
        Executors.newCachedThreadPool(
            new java.util.concurrent.ThreadFactory() {
              private final AtomicInteger count = new AtomicInteger();

              @Override
              public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "httpcache-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              }
            });

    static Executor get() {
      return POOL;
    }
  }

  // ---- HttpClient configuration: that of the wrapped client ----

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public String toString() {
    return "CachedHttpClient[" + cache + "]";
  }
}
