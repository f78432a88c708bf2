package dev.httpcache;

import dev.httpcache.key.RequestKeys;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.Actions;
import dev.httpcache.policy.CacheDecision;
import dev.httpcache.policy.Policy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

  Exchange(
      HttpCache cache, CachedRequest request, String key, Actions actions, CacheDecision decision) {
    this.cache = cache;
    this.request = request;
    this.key = key;
    this.actions = actions;
    this.decision = decision;
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
        actions, cache.allowableCodes().contains(statusCode), headers, cache.clock().instant())) {
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
    return true;
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
    if (body.length > cache.maxBodySize() || !mayStore(statusCode, headers)) {
      return Optional.empty();
    }
    CachedResponse response =
        CachedResponse.builder()
            .statusCode(statusCode)
            .headers(headers)
            .bodyOwned(body)
            .uri(finalUri)
            .request(request)
            .createdAt(now)
            .expires(actions.expireAfter().expiresAt(now))
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
    return cache.write(key, redacted, alias) ? Optional.of(redacted) : Optional.empty();
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
    return cache.write(key, moved, alias) ? Optional.of(moved) : Optional.empty();
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
    HttpHeaders merged = cache.redactor().redact(Policy.updateHeaders(stored.headers(), headers));
    @Nullable Instant expires =
        actions.expireAfter().isDoNotCache() ? now : actions.expireAfter().expiresAt(now);
    CachedResponse updated = stored.toBuilder().headers(merged).expires(expires).build();
    if (actions.write() && !updated.equals(stored)) {
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
    return stored.equals(cache.redactor().redact(request.uri())) ? request.uri() : stored;
  }

  /** Returns the metadata of a response served from the cache. */
  public CacheMetadata cachedMetadata(CachedResponse response, boolean revalidated) {
    Instant now = cache.clock().instant();
    return new CacheMetadata(
        true,
        revalidated,
        response.createdAt(),
        response.expiresOrNull(),
        response.isExpired(now),
        key);
  }

  /**
   * Returns the metadata of a response from the network.
   *
   * @param storable whether the response is stored once its body has been read whole
   */
  public CacheMetadata networkMetadata(Instant receivedAt, boolean storable) {
    return new CacheMetadata(
        false,
        false,
        receivedAt,
        storable ? actions.expireAfter().expiresAt(receivedAt) : null,
        false,
        key);
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
