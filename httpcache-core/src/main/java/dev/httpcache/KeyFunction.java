package dev.httpcache;

import dev.httpcache.model.CachedRequest;
import java.util.function.Function;

/**
 * Computes the cache key of a request, replacing or wrapping the default key (requests-cache's
 * {@code key_fn}). Two requests with the same key share a stored response.
 *
 * <pre>{@code
 * // Wrap: one cache per tenant, on top of the default matching.
 * KeyFunction perTenant = (request, defaultKey) ->
 *     request.headers().firstValue("X-Tenant").orElse("-") + ":" + defaultKey.apply(request);
 * HttpCache.builder().keyFunction(perTenant).build();
 * }</pre>
 *
 * <p>The request passed in is the caller's, secrets included; a key function must not put a secret
 * into the key in plain text, since keys are stored and listed. The default key (a SHA-256 hash)
 * never contains one. Implementations must be thread-safe and fast: the key is computed for every
 * request. A key function that throws makes the cache skip that request (it goes to the network,
 * and a warning is logged).
 */
@FunctionalInterface
public interface KeyFunction {
  /**
   * Returns the key of {@code request}: a non-blank string of at most 512 characters.
   *
   * @param defaultKey the default key function, with the cache's ignored parameters and matched
   *     headers applied
   */
  String key(CachedRequest request, Function<CachedRequest, String> defaultKey);
}
