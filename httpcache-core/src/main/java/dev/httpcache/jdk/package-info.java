/**
 * The cache for {@link java.net.http.HttpClient}: {@link dev.httpcache.jdk.CachedHttpClient} is an
 * {@code HttpClient} that any code taking one accepts.
 *
 * <pre>{@code
 * HttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), HttpCache.builder().build());
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * boolean hit = CachedHttpClient.metadata(response).fromCache();
 * }</pre>
 */
@NullMarked
package dev.httpcache.jdk;

import org.jspecify.annotations.NullMarked;
