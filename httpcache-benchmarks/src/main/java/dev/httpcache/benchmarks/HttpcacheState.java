package dev.httpcache.benchmarks;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * httpcache's {@link CachedHttpClient} over the JDK's {@link HttpClient}, with a primed cache; the
 * subclasses choose the storage. Shared by all benchmark threads, as a client is in an application.
 */
public abstract class HttpcacheState extends SizedState {
  private final Resources resources = new Resources();
  private Origin origin;
  private CachedHttpClient client;
  private HttpRequest request;
  private int primed;

  /** Opens the storage to measure; {@code dir} is an empty temporary directory. */
  abstract Storage openStorage(Path dir) throws IOException;

  /** The client's name in messages. */
  abstract String name();

  /**
   * Returns the cache's builder over {@code storage}: a fixed expiry of a day, which serves the
   * stored headers as they are; {@link HttpcacheStandardState} builds the RFC 9111 cache instead.
   */
  HttpCache.Builder cacheBuilder(Storage storage) {
    return HttpCache.builder().storage(storage).expireAfter(Duration.ofDays(1));
  }

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
      Storage storage = openStorage(resources.tempDirectory("httpcache-bench-"));
      HttpCache cache = resources.add(cacheBuilder(storage).build());
      client =
          CachedHttpClient.of(
              HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), cache);
      request = HttpRequest.newBuilder(origin.uri()).GET().build();

      HttpResponse<byte[]> first = client.send(request, BodyHandlers.ofByteArray());
      Hits.requirePrimed(name(), origin, first.statusCode(), first.body());
      int before = origin.requests();
      HttpResponse<byte[]> second = client.send(request, BodyHandlers.ofByteArray());
      CacheMetadata metadata = CachedHttpClient.metadata(second);
      Hits.requireHit(
          name(), origin, before, metadata.fromCache(), metadata.toString(), second.body());
      primed = origin.requests();
    } catch (Exception | Error e) {
      closeQuietly(e);
      throw e;
    }
  }

  /** One cache hit: sends the request and reads the whole body. */
  public byte[] hit() throws IOException, InterruptedException {
    return response().body();
  }

  /** One cache hit whole, headers and all. */
  HttpResponse<byte[]> response() throws IOException, InterruptedException {
    return client.send(request, BodyHandlers.ofByteArray());
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /**
   * Checks that no measured request reached the origin, then closes the cache and the origin and
   * deletes the temporary directory.
   */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      Hits.requireNoNetwork(name(), origin, primed);
    } finally {
      resources.close();
    }
  }

  private void closeQuietly(Throwable failure) {
    try {
      resources.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }
}
