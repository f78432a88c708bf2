/**
 * A Redis storage for httpcache: one cache shared by many processes and machines, on a single
 * server, a Sentinel-managed master or a Redis Cluster.
 *
 * <pre>{@code
 * HttpCache cache = HttpCache.builder()
 *     .storage(RedisStorage.fromUrl("redis://cache.internal:6379/0?namespace=api"))
 *     .build();
 * HttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
 * }</pre>
 *
 * <p>Entries expire in Redis a fixed offset after they go stale, so that they stay usable for
 * revalidation; a Redis that is down or slow makes requests go to the network, never fail. See
 * {@link dev.httpcache.redis.RedisStorage}.
 */
@NullMarked
package dev.httpcache.redis;

import org.jspecify.annotations.NullMarked;
