/**
 * httpcache for OkHttp (and Retrofit over it): {@link dev.httpcache.okhttp.CacheInterceptor} is an
 * application interceptor over an {@link dev.httpcache.HttpCache}, with every setting and storage
 * of the cache.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(CacheInterceptor.of(HttpCache.builder().build()))
 *     .build();
 * Request request = new Request.Builder()
 *     .url("https://api.example.com/items")
 *     .tag(RequestOptions.class, RequestOptions.expiringAfter(Duration.ofMinutes(5)))
 *     .build();
 * try (Response response = client.newCall(request).execute()) {
 *   boolean hit = CacheInterceptor.metadata(response).fromCache();
 * }
 * }</pre>
 */
@NullMarked
package dev.httpcache.okhttp;

import org.jspecify.annotations.NullMarked;
