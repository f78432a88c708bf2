package dev.httpcache.policy;

import dev.httpcache.model.CachedResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to do with one request, decided before any network I/O: a value returned by {@link
 * Policy#decide}, which adapters act on.
 */
public sealed interface CacheDecision {

  /** Answer with the stored response; no network request. */
  record Serve(CachedResponse response) implements CacheDecision {}

  /**
   * Answer at once with the stored, stale response, and refresh it in the background
   * (stale-while-revalidate).
   *
   * @param conditionalHeaders the validators to send with the refresh; empty for a plain fetch
   */
  record ServeStale(CachedResponse response, Map<String, String> conditionalHeaders)
      implements CacheDecision {}

  /**
   * Send a conditional request built from the stored response's validators; a 304 answer means the
   * stored response is served with updated headers, any other answer replaces it.
   *
   * @param stored the stored response being revalidated
   * @param conditionalHeaders {@code If-None-Match} and/or {@code If-Modified-Since}, to add to the
   *     network request
   * @param staleIfError whether the stored response answers instead when the network fails or the
   *     origin answers 5xx
   */
  record Revalidate(
      CachedResponse stored, Map<String, String> conditionalHeaders, boolean staleIfError)
      implements CacheDecision {
    /** A revalidation with no stale fallback. */
    public Revalidate(CachedResponse stored, Map<String, String> conditionalHeaders) {
      this(stored, conditionalHeaders, false);
    }
  }

  /**
   * Send the request to the origin as the caller built it.
   *
   * @param fallback a stale stored response that answers instead when the network fails or the
   *     origin answers 5xx (stale-if-error), or {@code null}
   */
  record Fetch(@Nullable CachedResponse fallback) implements CacheDecision {
    /** A fetch with no stale fallback. */
    public Fetch() {
      this(null);
    }
  }

  /**
   * Answer 504 without touching the network: only-if-cached was asked and nothing usable is stored.
   */
  record Unsatisfiable() implements CacheDecision {}
}
