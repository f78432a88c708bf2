package dev.httpcache.benchmarks;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.okhttp.CacheInterceptor;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OkHttp 5 with httpcache's {@link CacheInterceptor} as its application interceptor (and no {@code
 * okhttp3.Cache}), with a primed cache; the subclasses choose the storage. The cache is built as
 * {@link HttpcacheState} builds it. Shared by all benchmark threads.
 */
public abstract class InterceptorState extends SizedState {
  private final Resources resources = new Resources();
  private Origin origin;
  private OkHttpClient client;
  private Request request;
  private int primed;

  /** Opens the storage to measure; {@code dir} is an empty temporary directory. */
  abstract Storage openStorage(Path dir) throws IOException;

  /** The client's name in messages. */
  abstract String name();

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
      Storage storage = openStorage(resources.tempDirectory("interceptor-bench-"));
      HttpCache cache =
          resources.add(
              HttpCache.builder().storage(storage).expireAfter(Duration.ofDays(1)).build());
      OkHttpClient built =
          new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(cache)).build();
      resources.add(
          () -> {
            built.dispatcher().executorService().shutdown();
            built.connectionPool().evictAll();
          });
      client = built;
      request = new Request.Builder().url(origin.uri().toString()).build();

      try (Response first = client.newCall(request).execute()) {
        Hits.requirePrimed(name(), origin, first.code(), first.body().bytes());
      }
      int before = origin.requests();
      try (Response second = client.newCall(request).execute()) {
        byte[] body = second.body().bytes();
        CacheMetadata metadata = CacheInterceptor.metadata(second);
        boolean hit =
            metadata.fromCache()
                && second.cacheResponse() != null
                && second.networkResponse() == null;
        Hits.requireHit(
            name(),
            origin,
            before,
            hit,
            metadata + ", cacheResponse=" + second.cacheResponse(),
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

  /** One cache hit: executes the call and reads the whole body. */
  public byte[] hit() throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes();
    }
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /**
   * Checks that no measured request reached the origin, then closes the client, the cache and the
   * origin and deletes the temporary directory.
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      Hits.requireNoNetwork(name(), origin, primed);
    } finally {
      resources.close();
    }
  }
}
