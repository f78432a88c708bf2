package dev.httpcache;

import dev.httpcache.key.RequestKeys;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.Actions;
import dev.httpcache.policy.CacheDecision;
import dev.httpcache.policy.Policy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The cache's part of one request, from the decision to the write: what an adapter gets from {@link
 * HttpCache#begin} and calls back once the network has answered.
 *
 * <p>An adapter acts on {@link #decision()}: it serves the stored response, sends the request
 * (adding the conditional headers of a {@link CacheDecision.Revalidate}), or answers 504. When a
 * response arrives it asks {@link #mayStore} before reading the body, then hands the whole response
 * to {@link #store}, or a 304's headers to {@link #notModified}. An exchange is used by one request
 * at a time; its methods never throw for storage faults.
 */
public final class Exchange {
  private final HttpCache cache;
  private final CachedRequest request;
  private final String key;
  private final Actions actions;
  private final CacheDecision decision;
  private final Instant decidedAt;
  private final @Nullable CompletableFuture<Void> leader;
  private final @Nullable Runnable onDone;
  private final AtomicBoolean done = new AtomicBoolean();
  // The entry this exchange has written, if it has: its expiry is the one the aliases of its
  // redirect hops take on (hops named before the write wait for it), and its creation and expiry
  // are the metadata of the response. Guarded by this: the body may be stored on the client's
  // thread while the caller names the hops.
  private @Nullable CachedResponse written;
  private @Nullable List<URI> pendingHops;
  // The response headers that mayStore last approved, with their status: store, handed the same
  // instance, does not judge them again. Written on the thread that reads the response's head, read
  // on the one that completes its body.
  private volatile int approvedStatus;
  private volatile @Nullable HttpHeaders approved;

  Exchange(
      HttpCache cache,
      CachedRequest request,
      String key,
      Actions actions,
      CacheDecision decision,
      Instant decidedAt,
      @Nullable CompletableFuture<Void> leader,
      @Nullable Runnable onDone) {
    this.cache = cache;
    this.request = request;
    this.key = key;
    this.actions = actions;
    this.decision = decision;
    this.decidedAt = decidedAt;
    this.leader = leader;
    this.onDone = onDone;
  }

  /**
   * Returns, when an identical request is already on its way to the origin, what completes once
   * that request's response is stored (or known not to be): the adapter waits for it, bounded by
   * {@link #coalescingTimeout()}, then begins again, and usually finds a hit. Empty when this
   * request goes to the network itself.
   */
  public Optional<CompletableFuture<Void>> awaitedLeader() {
    return Optional.ofNullable(leader);
  }

  /** Returns how long a coalesced request waits for the identical one ahead of it. */
  public Duration coalescingTimeout() {
    return cache.coalescingTimeout();
  }

  /**
   * Says that this exchange's network part is over: its response is stored, will not be, or the
   * request failed. Identical requests that wait on it go on. Idempotent; adapters call it on every
   * path that ends a network call.
   */
  public void done() {
    if (onDone != null && done.compareAndSet(false, true)) {
      onDone.run();
    }
  }

  /**
   * Returns the stale stored response that may answer instead when the network fails or the origin
   * answers 5xx (stale-if-error), if the decision allows one.
   */
  public Optional<CachedResponse> errorFallback() {
    if (decision instanceof CacheDecision.Fetch) {
      return Optional.ofNullable(((CacheDecision.Fetch) decision).fallback());
    }
    if (decision instanceof CacheDecision.Revalidate
        && ((CacheDecision.Revalidate) decision).staleIfError()) {
      return Optional.of(((CacheDecision.Revalidate) decision).stored());
    }
    return Optional.empty();
  }

  /**
   * Returns the exchange of a background refresh for a {@link CacheDecision.ServeStale} decision,
   * or empty when a refresh of this entry already runs (at most one per key) or too many run.
   */
  public Optional<Exchange> refreshing() {
    if (!(decision instanceof CacheDecision.ServeStale)) {
      return Optional.empty();
    }
    CacheDecision.ServeStale stale = (CacheDecision.ServeStale) decision;
    if (!cache.startRefresh(key)) {
      return Optional.empty();
    }
    CacheDecision refresh =
        stale.conditionalHeaders().isEmpty()
            ? new CacheDecision.Fetch()
            : new CacheDecision.Revalidate(stale.response(), stale.conditionalHeaders());
    return Optional.of(
        new Exchange(
            cache,
            request,
            key,
            actions,
            refresh,
            cache.clock().instant(),
            null,
            () -> cache.endRefresh(key)));
  }

  /**
   * Whether the caller's own conditional request ({@code If-None-Match}, else {@code
   * If-Modified-Since}) is satisfied by {@code response}, so that it is answered with a 304.
   */
  public boolean satisfiesCallersCondition(CachedResponse response) {
    return Policy.satisfies(request.headers(), response.headers());
  }

  /**
   * Tells the cache that the origin answered this request: a successful unsafe request (POST, PUT,
   * DELETE, ...) invalidates what is stored for its URL and for same-origin {@code Location} and
   * {@code Content-Location} (RFC 9111 section 4.4).
   */
  public void answered(int statusCode, HttpHeaders headers) {
    cache.invalidateAfter(request, statusCode, headers);
  }

  /** Returns the request, as the caller built it. */
  public CachedRequest request() {
    return request;
  }

  /**
   * Returns the key the response is read from and written to: the request's cache key, or for a
   * response that varies, the secondary key of this request's variant.
   */
  public String key() {
    return key;
  }

  /** Returns what to do with the request. */
  public CacheDecision decision() {
    return decision;
  }

  /** Returns the time now, from the cache's clock. */
  public Instant now() {
    return cache.clock().instant();
  }

  /**
   * Whether a response with this status and these headers may be stored, judged before its body is
   * read; the body must then also fit in {@link #maxBodySize()}.
   */
  public boolean mayStore(int statusCode, HttpHeaders headers) {
    if (!Policy.mayStore(
        actions,
        cache.allowableCodes().contains(statusCode),
        request.headers(),
        statusCode,
        headers,
        cache.clock().instant())) {
      return false;
    }
    List<String> vary = RequestKeys.varyNames(headers);
    if (vary.contains("*")) {
      return false; // RFC 9111 section 4.1: it never matches, so it is never worth storing
    }
    if (cache.keys().matchVary(vary, request, request) == RequestKeys.VaryMatch.REFUSED) {
      // It varies on a secret that storage redacts: no later request could be shown to match.
      cache.refused(key, request, true);
      return false;
    }
    approvedStatus = statusCode;
    approved = headers;
    return true;
  }

  /** Whether {@link #mayStore} approved this very status and headers instance. */
  private boolean isApproved(int statusCode, HttpHeaders headers) {
    return approved == headers && approvedStatus == statusCode;
  }

  /** Returns the largest body, in bytes, that is stored. */
  public int maxBodySize() {
    return cache.maxBodySize();
  }

  /**
   * Stores a response that arrived from the network, when the settings and the filter allow it.
   *
   * @param finalUri the URL the response came from; when redirects were followed and it differs
   *     from the request's, a request for it is aliased to this entry
   * @return the response as stored (redacted, with its expiry), or empty when it was not stored
   */
  public Optional<CachedResponse> store(
      int statusCode, HttpHeaders headers, URI finalUri, byte[] body) {
    Instant now = cache.clock().instant();
    if (body.length > cache.maxBodySize()
        || !(isApproved(statusCode, headers) || mayStore(statusCode, headers))) {
      return Optional.empty();
    }
    CachedResponse response =
        CachedResponse.builder()
            .statusCode(statusCode)
            .headers(Policy.storableHeaders(headers, actions.rules()))
            .bodyOwned(body)
            .uri(finalUri)
            .request(request)
            .createdAt(now)
            .expires(Policy.expiresAt(actions, statusCode, headers, now))
            .build();
    if (!cache.accepts(response)) {
      // A response the filter rejects also retires what was stored before under this key.
      cache.remove(key);
      return Optional.empty();
    }
    String alias = null;
    if (!finalUri.equals(request.uri())) {
      alias = cache.key(CachedRequest.get(finalUri));
    }
    CachedResponse redacted = cache.redactor().redact(response);
    if (!cache.write(key, redacted, alias)) {
      return Optional.empty();
    }
    wrote(redacted);
    return Optional.of(redacted);
  }

  /**
   * Rewrites a response stored by {@link #store} with the URL it really came from, once a client
   * that followed redirects knows it, and aliases a request for that URL to the entry.
   *
   * @return the response as stored again, or empty when the write failed
   */
  public Optional<CachedResponse> relocate(CachedResponse stored, URI finalUri) {
    CachedResponse moved = stored.toBuilder().uri(cache.redactor().redact(finalUri)).build();
    String alias = cache.key(CachedRequest.get(finalUri));
    if (!cache.write(key, moved, alias)) {
      return Optional.empty();
    }
    wrote(moved);
    return Optional.of(moved);
  }

  /**
   * Aliases requests for the intermediate URLs of a redirect chain that the client followed to this
   * exchange's entry, so that a later request for any of them is answered by the final response, as
   * the client would have been. The aliases are written once this exchange has stored its entry (at
   * once when it has), and expire with it, so that {@code removeExpired} and a storage's own expiry
   * retire them together; when it stores nothing, none is written. Not done under a signing or
   * encrypting codec, whose aliases must lead to an entry of their own URL.
   */
  public void aliasRedirectHops(List<URI> hops) {
    if (!actions.write() || cache.codec().authenticates() || hops.isEmpty()) {
      return;
    }
    CachedResponse entry;
    synchronized (this) {
      entry = written;
      if (entry == null) {
        if (pendingHops == null) {
          pendingHops = new ArrayList<>();
        }
        pendingHops.addAll(hops);
        return;
      }
    }
    writeAliases(hops, entry.expiresOrNull());
  }

  /** Notes that this exchange wrote its entry, and writes the aliases that waited for it. */
  private void wrote(CachedResponse entry) {
    List<URI> waiting;
    synchronized (this) {
      written = entry;
      waiting = pendingHops;
      pendingHops = null;
    }
    if (waiting != null) {
      writeAliases(waiting, entry.expiresOrNull());
    }
  }

  private void writeAliases(List<URI> hops, @Nullable Instant expires) {
    for (URI hop : hops) {
      cache.writeAlias(cache.key(CachedRequest.get(hop)), key, expires);
    }
  }

  /**
   * Handles a 304 answer to a {@link CacheDecision.Revalidate}: the stored response gets the 304's
   * headers and a new expiry, is written back, and is returned to be served.
   *
   * @throws IllegalStateException when the decision was not to revalidate
   */
  public CachedResponse notModified(HttpHeaders headers) {
    if (!(decision instanceof CacheDecision.Revalidate)) {
      throw new IllegalStateException("notModified() needs a Revalidate decision, not " + decision);
    }
    CachedResponse stored = ((CacheDecision.Revalidate) decision).stored();
    Instant now = cache.clock().instant();
    HttpHeaders merged =
        cache
            .redactor()
            .redact(
                Policy.storableHeaders(
                    Policy.updateHeaders(stored.headers(), headers), actions.rules()));
    @Nullable Instant expires = Policy.expiresAt(actions, stored.statusCode(), merged, now);
    // The revalidated response is as old as the 304 says: its age starts again now.
    CachedResponse updated =
        stored.toBuilder().headers(merged).createdAt(now).expires(expires).build();
    // A 304 that changes neither the headers nor the expiry writes nothing.
    boolean changed =
        !Policy.sameHeaders(merged, stored.headers())
            || !java.util.Objects.equals(expires, stored.expiresOrNull());
    if (actions.write() && changed) {
      cache.write(key, updated, null);
    }
    cache.listener().onRevalidated(key);
    return updated;
  }

  /**
   * Returns the URL to report for a stored response: the caller's own request URL when the stored
   * one is that URL redacted, else the stored (redacted) URL it was redirected to.
   */
  public URI uriOf(CachedResponse response) {
    URI stored = response.uri();
    // Nothing was redacted: the common case, without building a URI. The same text is the same
    // URI, and comparing texts spares URI.equals its case-insensitive reading of the host; a URI
    // written otherwise (an upper-case host) is compared below.
    if (stored.toString().equals(request.uri().toString())) {
      return request.uri();
    }
    return stored.equals(cache.redactor().redact(request.uri())) ? request.uri() : stored;
  }

  /**
   * Returns the metadata of a response served from the cache. A response served as the decision
   * said, without the network, is judged at the time of the decision, which spares a reading of the
   * clock on every hit; one served after the network (revalidated, or stale-if-error) at the time
   * now.
   */
  public CacheMetadata cachedMetadata(CachedResponse response, boolean revalidated) {
    Instant now = servedAt(revalidated);
    if (!revalidated && response.isExpired(now)) {
      cache.listener().onStaleServed(key);
    }
    return new CacheMetadata(
        true,
        revalidated,
        response.createdAt(),
        response.expiresOrNull(),
        response.isExpired(now),
        key);
  }

  /**
   * Returns the metadata of a response from the network: when this exchange has stored it, the
   * stored entry's creation time and expiry; else {@code receivedAt} and the expiry it would have.
   *
   * @param storable whether the response is stored once its body has been read whole
   * @param statusCode the response's status, for its expiry
   * @param headers the response's headers, for its expiry
   */
  public CacheMetadata networkMetadata(
      Instant receivedAt, boolean storable, int statusCode, HttpHeaders headers) {
    if (!storable) {
      return networkMetadata(receivedAt);
    }
    CachedResponse entry;
    synchronized (this) {
      entry = written;
    }
    if (entry != null) {
      return new CacheMetadata(false, false, entry.createdAt(), entry.expiresOrNull(), false, key);
    }
    // Not written yet (a body still streaming) or not at all: the expiry it would have.
    return new CacheMetadata(
        false,
        false,
        receivedAt,
        Policy.expiresAt(actions, statusCode, headers, receivedAt),
        false,
        key);
  }

  /** Returns the metadata of a response from the network that is not stored. */
  public CacheMetadata networkMetadata(Instant receivedAt) {
    return new CacheMetadata(false, false, receivedAt, null, false, key);
  }

  /**
   * Returns the headers to serve a stored response with: its stored headers and, when the cache
   * follows RFC 9111 ({@code cacheControl}), an {@code Age} header with its current age in seconds
   * (section 5.1). requests-cache's mode adds nothing, as requests-cache does not. The age is taken
   * at the time of the decision for a response served as the decision said, as its {@link
   * #cachedMetadata metadata} are, which spares a hit a reading of the clock; else now.
   *
   * @param revalidated whether the response is served after a 304 from the origin
   */
  public HttpHeaders servedHeaders(CachedResponse response, boolean revalidated) {
    if (!actions.rules().cacheControl()) {
      return response.headers();
    }
    long age = Policy.ageSeconds(response, servedAt(revalidated));
    return response.headersAt(age, Policy::servedHeaders);
  }

  /**
   * Returns the time to judge a served response at: the decision's for a response served as it
   * said, without the network; now for one served after the network (revalidated, or
   * stale-if-error).
   */
  private Instant servedAt(boolean revalidated) {
    boolean servedAsDecided =
        !revalidated
            && (decision instanceof CacheDecision.Serve
                || decision instanceof CacheDecision.ServeStale);
    return servedAsDecided ? decidedAt : cache.clock().instant();
  }

  /** Returns the metadata of the 504 that answers an unsatisfiable only-if-cached request. */
  public CacheMetadata unsatisfiedMetadata() {
    return new CacheMetadata(true, false, cache.clock().instant(), null, false, key);
  }

  @Override
  public String toString() {
    return "Exchange[" + request + ", " + decision.getClass().getSimpleName() + "]";
  }
}
