package dev.httpcache.benchmarks;

import java.io.IOException;
import okhttp3.Cache;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OkHttp 5 with its own {@link Cache} (DiskLruCache) in a temporary directory, primed. Shared by
 * all benchmark threads.
 */
@State(Scope.Benchmark)
public class OkHttpState extends SizedState {
  private static final String NAME = "OkHttp Cache";
  private static final long MAX_SIZE = 10L * 1024 * 1024;

  private final Resources resources = new Resources();
  private Origin origin;
  private OkHttpClient client;
  private Request request;
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
      Cache cache =
          resources.add(new Cache(resources.tempDirectory("okhttp-bench-").toFile(), MAX_SIZE));
      OkHttpClient built = new OkHttpClient.Builder().cache(cache).build();
      resources.add(
          () -> {
            built.dispatcher().executorService().shutdown();
            built.connectionPool().evictAll();
          });
      client = built;
      request = new Request.Builder().url(origin.uri().toString()).build();

      try (Response first = client.newCall(request).execute()) {
        Hits.requirePrimed(NAME, origin, first.code(), first.body().bytes());
      }
      int before = origin.requests();
      try (Response second = client.newCall(request).execute()) {
        byte[] body = second.body().bytes();
        boolean hit = second.cacheResponse() != null && second.networkResponse() == null;
        Hits.requireHit(
            NAME,
            origin,
            before,
            hit,
            "cacheResponse="
                + second.cacheResponse()
                + ", networkResponse="
                + second.networkResponse(),
            body);
      }
      if (cache.hitCount() != 1) {
        throw new IllegalStateException(NAME + ": hitCount " + cache.hitCount() + ", expected 1");
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
