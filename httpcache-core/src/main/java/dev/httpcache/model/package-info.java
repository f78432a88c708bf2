/**
 * The immutable values the cache stores: {@link dev.httpcache.model.CachedRequest} and {@link
 * dev.httpcache.model.CachedResponse}, independent of any HTTP client library.
 *
 * <pre>{@code
 * CachedRequest request = CachedRequest.get(URI.create("https://example.com/"));
 * }</pre>
 */
@NullMarked
package dev.httpcache.model;

import org.jspecify.annotations.NullMarked;
