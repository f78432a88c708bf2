package dev.httpcache.policy;

import dev.httpcache.model.CachedResponse;
import java.util.Map;

/**
 * What to do with one request, decided before any network I/O: a value returned by {@link
 * Policy#decide}, which adapters act on.
 */
public sealed interface CacheDecision {

  /** Answer with the stored response; no network request. */
  record Serve(CachedResponse response) implements CacheDecision {}

  /**
   * Send a conditional request built from the stored response's validators; a 304 answer means the
   * stored response is served with updated headers, any other answer replaces it.
   *
   * @param stored the stored response being revalidated
   * @param conditionalHeaders {@code If-None-Match} and/or {@code If-Modified-Since}, to add to the
   *     network request
   */
  record Revalidate(CachedResponse stored, Map<String, String> conditionalHeaders)
      implements CacheDecision {}

  /** Send the request to the origin as the caller built it. */
  record Fetch() implements CacheDecision {}

  /**
   * Answer 504 without touching the network: only-if-cached was asked and nothing usable is stored.
   */
  record Unsatisfiable() implements CacheDecision {}
}
