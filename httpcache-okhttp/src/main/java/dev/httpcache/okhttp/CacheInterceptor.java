package dev.httpcache.okhttp;

import dev.httpcache.CacheMetadata;
import dev.httpcache.Exchange;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.CacheDecision;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.Okio;
import org.jspecify.annotations.Nullable;

/**
 * An OkHttp application interceptor that answers from an {@link HttpCache} where it can and sends
 * the rest on down the chain: every setting and every storage of the cache, for OkHttp and for
 * Retrofit over OkHttp. It behaves as {@link dev.httpcache.jdk.CachedHttpClient} does; the two pass
 * the same scenario suite.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder().expireAfter(Duration.ofMinutes(10)).build();
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(CacheInterceptor.of(cache))
 *     .build();
 * try (Response response = client.newCall(request).execute()) {
 *   String body = response.body().string();
 *   CacheMetadata meta = CacheInterceptor.metadata(response);
 * }
 * }</pre>
 *
 * <p><b>An application interceptor.</b> Add it with {@code OkHttpClient.Builder.addInterceptor},
 * not {@code addNetworkInterceptor}: only an application interceptor may answer without calling the
 * network, it sees one request and its final response however many redirects and retries OkHttp
 * follows beneath it, and it sees bodies after OkHttp has removed its transparent gzip. Added as a
 * network interceptor it throws {@link IllegalStateException}. Interceptors added before it change
 * the request the cache sees (an {@code Authorization} they add is matched and redacted as the
 * caller's own); those added after it, and network interceptors, see only the requests that go to
 * the network.
 *
 * <p><b>Per-request options</b> travel as a request tag, never onto the wire: {@code
 * request.newBuilder().tag(RequestOptions.class, options)} (with Retrofit, a {@code @Tag
 * RequestOptions} parameter). A request without one uses the interceptor's defaults, {@link
 * RequestOptions#DEFAULT} unless {@link #withOptions} says otherwise.
 *
 * <p><b>Responses.</b> A response served from the cache is an ordinary {@link Response} with the
 * stored status, headers and body, and {@link Response#cacheResponse()} set; {@link #metadata}
 * reads its {@link CacheMetadata}, carried as a tag of {@link Response#request()}. A response from
 * the network keeps OkHttp's own body: when it may be stored, its body is copied on the side as the
 * caller reads it and stored once read whole (closing it early reads what is left, for at most 100
 * ms, as OkHttp's own cache does); when it may not (a status, a directive, or a length over {@link
 * HttpCache#maxBodySize()}), its body is passed through untouched.
 *
 * <p>The storage is read and written on the thread that runs the interceptor: the caller's for
 * {@code execute()}, OkHttp's dispatcher for {@code enqueue()}. A stale response served while it is
 * refreshed (stale-while-revalidate) is refreshed by a clone of the call, enqueued on the same
 * client. Concurrent identical misses make one network request; the others wait for its response to
 * be stored, at most {@link HttpCache#coalescingTimeout()}. Thread-safe and immutable.
 */
public final class CacheInterceptor implements Interceptor {
  private static final byte[] EMPTY = new byte[0];

  private final HttpCache cache;
  private final RequestOptions defaults;

  private CacheInterceptor(HttpCache cache, RequestOptions defaults) {
    this.cache = cache;
    this.defaults = defaults;
  }

  /** Returns an interceptor that caches in {@code cache}. Closing the cache is the caller's. */
  public static CacheInterceptor of(HttpCache cache) {
    return new CacheInterceptor(Objects.requireNonNull(cache, "cache"), RequestOptions.DEFAULT);
  }

  /**
   * Returns an interceptor over the same cache whose requests use {@code options} when they carry
   * no {@code RequestOptions} tag of their own.
   */
  public CacheInterceptor withOptions(RequestOptions options) {
    return new CacheInterceptor(cache, Objects.requireNonNull(options, "options"));
  }

  /** Returns the cache. */
  public HttpCache cache() {
    return cache;
  }

  /**
   * Returns the cache metadata of a response that a {@code CacheInterceptor} returned: whether it
   * came from the cache, when it was created and expires, its key.
   *
   * @throws IllegalArgumentException when the response carries none: it did not pass through a
   *     {@code CacheInterceptor}, or an interceptor replaced its request
   */
  public static CacheMetadata metadata(Response response) {
    CacheMetadata metadata = response.request().tag(CacheMetadata.class);
    if (metadata == null) {
      throw new IllegalArgumentException(
          "no cache metadata on this response: it did not come through a CacheInterceptor added"
              + " with OkHttpClient.Builder.addInterceptor");
    }
    return metadata;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.connection() != null) {
      throw new IllegalStateException(
          "CacheInterceptor is an application interceptor: add it with"
              + " OkHttpClient.Builder.addInterceptor, not addNetworkInterceptor");
    }
    Request request = chain.request();
    Refresh refresh = chain.call().tag(Refresh.class);
    Exchange refreshing = refresh == null ? null : refresh.take();
    if (refreshing != null) {
      // A background refresh of a stale response (stale-while-revalidate): its exchange decided.
      RequestBody body = request.body();
      RequestBody replay =
          body != null && body.isOneShot()
              ? RequestBody.create(refreshing.request().body(), body.contentType())
              : null;
      return network(chain, new Prepared(request, refreshing, false, replay));
    }
    RequestOptions tagged = request.tag(RequestOptions.class);
    RequestOptions options = tagged != null ? tagged : defaults;
    Prepared prepared = prepare(request, options, true, null);
    Optional<CompletableFuture<Void>> ahead = prepared.exchange.awaitedLeader();
    if (ahead.isPresent()) {
      // An identical request is on its way: wait for it to store its response, then look again.
      try {
        ahead.get().get(prepared.exchange.coalescingTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // It failed or is slow: go on alone.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for an identical request");
      }
      prepared = prepare(request, options, false, prepared);
    }
    Exchange exchange = prepared.exchange;
    if (prepared.bypass) {
      Response response = chain.proceed(request);
      exchange.answered(response.code(), OkHeaders.toJdk(response.headers()));
      return withMetadata(request, response, exchange.networkMetadata(exchange.now()));
    }
    CacheDecision decision = exchange.decision();
    if (decision instanceof CacheDecision.Serve hit) {
      return serve(request, exchange, hit.response(), false, null);
    }
    if (decision instanceof CacheDecision.ServeStale stale) {
      refreshInBackground(chain, exchange);
      return serve(request, exchange, stale.response(), false, null);
    }
    if (decision instanceof CacheDecision.Unsatisfiable) {
      return unsatisfiable(request, exchange);
    }
    return network(chain, prepared);
  }

  /** The request as the cache sees it, its exchange, and whether it bypasses the cache. */
  private static final class Prepared {
    final Request original;
    final Exchange exchange;
    final boolean bypass;
    final @Nullable RequestBody replayBody;

    Prepared(
        Request original, Exchange exchange, boolean bypass, @Nullable RequestBody replayBody) {
      this.original = original;
      this.exchange = exchange;
      this.bypass = bypass;
      this.replayBody = replayBody;
    }

    /** The request to send: the caller's, with a revalidation's conditional headers. */
    Request networkRequest() {
      RequestBody replay = replayBody;
      CacheDecision decision = exchange.decision();
      if (replay == null && !(decision instanceof CacheDecision.Revalidate)) {
        return original;
      }
      Request.Builder b = original.newBuilder();
      if (replay != null) {
        b.method(original.method(), replay);
      }
      if (decision instanceof CacheDecision.Revalidate revalidate) {
        revalidate.conditionalHeaders().forEach(b::header);
      }
      return b.build();
    }
  }

  /**
   * Computes the request's view and begins its exchange.
   *
   * @param before the same request prepared before (a coalesced request looking again), whose body
   *     was read already; null the first time
   */
  private Prepared prepare(
      Request request, RequestOptions options, boolean coalesce, @Nullable Prepared before)
      throws IOException {
    HttpHeaders headers = OkHeaders.requestHeaders(request);
    URI uri = request.url().uri();
    RequestBody body = request.body();
    if (!cache.allowsMethod(request.method(), headers)
        || options.skipCache()
        || (body != null && body.isDuplex())) {
      // Not cacheable: the request bypasses the cache without reading its body.
      CachedRequest view = CachedRequest.ofOwned(request.method(), uri, headers, EMPTY);
      return new Prepared(request, cache.begin(view, RequestOptions.SKIP_CACHE), true, null);
    }
    byte[] bytes = EMPTY;
    RequestBody replay = null;
    if (before != null && !before.bypass) {
      // A one-shot body cannot be read twice: take the bytes read the first time.
      bytes = before.exchange.request().bodyUnsafe();
      replay = before.replayBody;
    } else if (body != null && body.contentLength() != 0) {
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      bytes = buffer.readByteArray();
      if (body.isOneShot()) {
        // A one-shot body cannot be written twice: send the bytes already read.
        replay = RequestBody.create(bytes, body.contentType());
      }
    }
    CachedRequest view = CachedRequest.ofOwned(request.method(), uri, headers, bytes);
    return new Prepared(request, cache.begin(view, options, coalesce), false, replay);
  }

  private Response network(Chain chain, Prepared prepared) throws IOException {
    Exchange exchange = prepared.exchange;
    Request networkRequest = prepared.networkRequest();
    Response response;
    try {
      response = chain.proceed(networkRequest);
    } catch (IOException e) {
      exchange.done();
      Optional<CachedResponse> stale = exchange.errorFallback();
      if (stale.isPresent()) {
        return serve(prepared.original, exchange, stale.get(), false, null);
      }
      throw e;
    } catch (RuntimeException e) {
      exchange.done();
      throw e;
    }
    try {
      return received(prepared.original, exchange, response);
    } catch (RuntimeException e) {
      exchange.done();
      response.close();
      throw e;
    }
  }

  /** Handles the network's answer: a 304, a stale fallback, or a response to pass on. */
  private Response received(Request original, Exchange exchange, Response response) {
    Instant receivedAt = exchange.now();
    int status = response.code();
    HttpHeaders headers = OkHeaders.toJdk(response.headers());
    exchange.answered(status, headers);
    if (status == 304 && exchange.decision() instanceof CacheDecision.Revalidate) {
      CachedResponse updated = exchange.notModified(headers);
      exchange.done();
      Response network = response.networkResponse();
      response.close();
      return serve(original, exchange, updated, true, network);
    }
    Optional<CachedResponse> fallback = exchange.errorFallback();
    if (status >= 500 && fallback.isPresent()) {
      // stale-if-error: the stored response answers instead of the origin's error.
      exchange.done();
      response.close();
      return serve(original, exchange, fallback.get(), false, null);
    }
    ResponseBody body = response.body();
    long length = body.contentLength();
    if (!exchange.mayStore(status, headers)
        || length > exchange.maxBodySize()
        || OkHeaders.credentialsAdded(original, response.request())) {
      exchange.done();
      return withMetadata(
          original, response, exchange.networkMetadata(receivedAt, false, status, headers));
    }
    HttpUrl finalUrl = response.request().url();
    URI finalUri = exchange.request().uri();
    if (!finalUrl.equals(original.url())) {
      finalUri = finalUrl.uri();
      // The hops between the first request and the final response: each gets its own alias.
      List<URI> hops = new ArrayList<>();
      for (Response prior = response.priorResponse();
          prior != null;
          prior = prior.priorResponse()) {
        HttpUrl hop = prior.request().url();
        if (!hop.equals(original.url()) && !hop.equals(finalUrl)) {
          hops.add(hop.uri());
        }
      }
      exchange.aliasRedirectHops(hops);
    }
    URI storedUri = finalUri;
    TeeSource tee =
        new TeeSource(
            body.source(),
            exchange.maxBodySize(),
            bytes -> {
              try {
                exchange.store(status, headers, storedUri, bytes);
              } finally {
                exchange.done();
              }
            },
            exchange::done);
    ResponseBody teed = ResponseBody.create(Okio.buffer(tee), body.contentType(), length);
    return withMetadata(
        original,
        response.newBuilder().body(teed).build(),
        exchange.networkMetadata(receivedAt, true, status, headers));
  }

  /**
   * Refreshes a stale response that is being served at once (stale-while-revalidate): a clone of
   * the call, tagged with the refresh's exchange, goes through this client again in the background.
   * At most one refresh per entry, and a bounded number in all.
   */
  private static void refreshInBackground(Chain chain, Exchange stale) {
    Optional<Exchange> refresh = stale.refreshing();
    if (refresh.isEmpty()) {
      return;
    }
    Exchange exchange = refresh.get();
    // The refresh slot of this key is given back on every path, or no refresh would run again.
    try {
      Call call = chain.call().clone();
      call.tag(Refresh.class, () -> new Refresh(exchange));
      call.enqueue(
          new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
              exchange.done();
            }

            @Override
            public void onResponse(Call done, Response response) throws IOException {
              try (response) {
                // Reading the body whole stores it.
                response.body().source().readAll(Okio.blackhole());
              } finally {
                exchange.done();
              }
            }
          });
    } catch (RuntimeException e) {
      exchange.done();
      throw e;
    }
  }

  /** The tag that marks a call as the background refresh of one exchange. */
  private static final class Refresh {
    private final AtomicReference<@Nullable Exchange> exchange;

    Refresh(Exchange exchange) {
      this.exchange = new AtomicReference<>(exchange);
    }

    /** Returns the exchange once; a second pass through the interceptor gets null. */
    @Nullable Exchange take() {
      return exchange.getAndSet(null);
    }
  }

  private static Response serve(
      Request request,
      Exchange exchange,
      CachedResponse cached,
      boolean revalidated,
      @Nullable Response network) {
    HttpHeaders served = exchange.servedHeaders(cached, revalidated);
    // A caller's own conditional request that the stored response satisfies gets a 304.
    boolean notModified = exchange.satisfiesCallersCondition(cached);
    okhttp3.Headers headers = OkHeaders.toOkHttp(served);
    Request tagged =
        reported(request, exchange.uriOf(cached))
            .tag(CacheMetadata.class, exchange.cachedMetadata(cached, revalidated))
            .build();
    long created = cached.createdAt().toEpochMilli();
    Response.Builder b =
        new Response.Builder()
            .request(tagged)
            .protocol(Protocol.HTTP_1_1)
            .code(notModified ? 304 : cached.statusCode())
            .message(notModified ? "Not Modified" : cached.reason())
            .headers(headers)
            .sentRequestAtMillis(created)
            .receivedResponseAtMillis(created);
    // What OkHttp's own cache reports too: the response came from a cache (and the network).
    b.cacheResponse(b.build());
    if (network != null
        && network.networkResponse() == null
        && network.cacheResponse() == null
        && network.priorResponse() == null) {
      b.networkResponse(network);
    }
    MediaType type = contentType(headers);
    return b.body(ResponseBody.create(notModified ? EMPTY : cached.bodyUnsafe(), type)).build();
  }

  private static Response unsatisfiable(Request request, Exchange exchange) {
    long now = exchange.now().toEpochMilli();
    return new Response.Builder()
        .request(
            request.newBuilder().tag(CacheMetadata.class, exchange.unsatisfiedMetadata()).build())
        .protocol(Protocol.HTTP_1_1)
        .code(504)
        .message("Unsatisfiable Request (only-if-cached)")
        .body(ResponseBody.create(EMPTY, null))
        .sentRequestAtMillis(now)
        .receivedResponseAtMillis(now)
        .build();
  }

  /**
   * A builder of the request a served response reports: the caller's own, or for a response that
   * came from another URL (a redirect followed when it was stored), a request for that URL.
   */
  private static Request.Builder reported(Request request, URI uri) {
    Request.Builder b = request.newBuilder();
    if (!uri.equals(request.url().uri())) {
      HttpUrl url = HttpUrl.get(uri);
      if (url != null) {
        b.url(url);
      }
    }
    return b;
  }

  private static @Nullable MediaType contentType(okhttp3.Headers headers) {
    String value = headers.get("Content-Type");
    return value == null ? null : MediaType.parse(value);
  }

  /**
   * Returns {@code response} with {@code metadata} as a tag of its request. The request it reports
   * is the caller's own, as sent before any conditional header the cache added, unless OkHttp
   * followed redirects to another URL: then, as OkHttp has it, the request of the last hop.
   */
  private static Response withMetadata(
      Request original, Response response, CacheMetadata metadata) {
    Request reported =
        response.request().url().equals(original.url()) ? original : response.request();
    return response
        .newBuilder()
        .request(reported.newBuilder().tag(CacheMetadata.class, metadata).build())
        .build();
  }

  @Override
  public String toString() {
    return "CacheInterceptor[" + cache + "]";
  }
}
