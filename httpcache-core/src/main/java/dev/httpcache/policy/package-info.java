/**
 * Expiration and the cache's decision for one request, as data: {@link
 * dev.httpcache.policy.ExpireAfter} and its special values, URL patterns ({@link
 * dev.httpcache.policy.UrlPattern}), and {@link dev.httpcache.policy.Policy#decide}, a pure
 * function returning a {@link dev.httpcache.policy.CacheDecision}.
 *
 * <pre>{@code
 * HttpCache.builder()
 *     .expireAfter(Duration.ofHours(1))
 *     .urlExpireAfter("*.example.com/static", ExpireAfter.NEVER_EXPIRE)
 *     .urlExpireAfter("*", ExpireAfter.DO_NOT_CACHE); // cache only what matched above
 * }</pre>
 */
@NullMarked
package dev.httpcache.policy;

import org.jspecify.annotations.NullMarked;
