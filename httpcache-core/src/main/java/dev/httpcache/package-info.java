/**
 * httpcache: a persistent, secure response cache for Java HTTP clients.
 *
 * <p>{@link dev.httpcache.HttpCache} is the entry point: build one with its settings and a storage,
 * then hand it to an adapter such as {@link dev.httpcache.jdk.CachedHttpClient}.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder()                 // SQLite file http_cache.sqlite by default
 *     .expireAfter(Duration.ofMinutes(10))
 *     .urlExpireAfter("api.example.com/static", ExpireAfter.NEVER_EXPIRE)
 *     .build();
 * HttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
 * }</pre>
 *
 * <p>This package also holds the per-request {@link dev.httpcache.RequestOptions}, the {@link
 * dev.httpcache.CacheMetadata} every returned response carries, and the {@link
 * dev.httpcache.CacheListener} that hears of hits, misses and faults.
 */
@NullMarked
package dev.httpcache;

import org.jspecify.annotations.NullMarked;
