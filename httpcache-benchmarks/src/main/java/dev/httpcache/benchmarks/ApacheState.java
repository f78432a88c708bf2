package dev.httpcache.benchmarks;

import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.cache.CacheResponseStatus;
import org.apache.hc.client5.http.cache.HttpCacheContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.cache.CacheConfig;
import org.apache.hc.client5.http.impl.cache.CachingHttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Apache HttpClient 5's classic caching client ({@link CachingHttpClients#custom()}) with its
 * default in-memory cache storage and {@link #CONFIG}, primed. Shared by all benchmark threads.
 */
@State(Scope.Benchmark)
public class ApacheState extends SizedState {
  private static final String NAME = "Apache HttpClient 5 cache";

  /**
   * {@link CacheConfig#DEFAULT} but for the largest response it stores: 1 MiB instead of 8 KiB,
   * which would leave a 100 KB response uncached. Everything else is the default: a shared cache of
   * at most 1 000 entries, in memory.
   */
  static final CacheConfig CONFIG = CacheConfig.custom().setMaxObjectSize(1024 * 1024).build();

  private final Resources resources = new Resources();
  private Origin origin;
  private CloseableHttpClient client;
  private URI uri;
  private int primed;

  /**
   * Starts the origin, builds the client, primes the cache and checks that the next request is a
   * hit.
   *
   * @throws IllegalStateException when the cache does not answer the second request
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    try {
      origin = resources.add(Origin.start(size));
      client = resources.add(CachingHttpClients.custom().setCacheConfig(CONFIG).build());
      uri = origin.uri();

      try (ClassicHttpResponse first = client.executeOpen(null, new HttpGet(uri), null)) {
        Hits.requirePrimed(
            NAME, origin, first.getCode(), EntityUtils.toByteArray(first.getEntity()));
      }
      int before = origin.requests();
      HttpCacheContext context = HttpCacheContext.create();
      try (ClassicHttpResponse second = client.executeOpen(null, new HttpGet(uri), context)) {
        byte[] body = EntityUtils.toByteArray(second.getEntity());
        CacheResponseStatus status = context.getCacheResponseStatus();
        Hits.requireHit(
            NAME,
            origin,
            before,
            status == CacheResponseStatus.CACHE_HIT,
            "cache response status " + status,
            body);
      }
      primed = origin.requests();
    } catch (Exception | Error e) {
      try {
        resources.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** One cache hit: executes the request and reads the whole entity. */
  public byte[] hit() throws IOException {
    return client.execute(
        new HttpGet(uri), response -> EntityUtils.toByteArray(response.getEntity()));
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /** Checks that no measured request reached the origin, then closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      Hits.requireNoNetwork(NAME, origin, primed);
    } finally {
      resources.close();
    }
  }
}
