package dev.httpcache.benchmarks;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.okhttp.CacheInterceptor;
import dev.httpcache.redis.RedisStorage;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import okhttp3.Cache;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.cache.CacheResponseStatus;
import org.apache.hc.client5.http.cache.HttpCacheContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.cache.CachingHttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.jspecify.annotations.Nullable;

/**
 * The clients that the miss, revalidation and scale benchmarks drive, behind one small interface,
 * chosen by name (a JMH parameter): httpcache's {@link CachedHttpClient} and OkHttp with its {@link
 * CacheInterceptor} over each storage, OkHttp with its own {@link Cache}, Apache HttpClient 5's
 * caching client, and the three plain clients without a cache. Each is built as the hit benchmarks
 * build it (see {@link HttpcacheState}, {@link InterceptorState}, {@link OkHttpState}, {@link
 * ApacheState}).
 */
final class Clients {
  private Clients() {}

  /** Every client name {@link #open} knows, caching ones first. */
  static final List<String> NAMES =
      List.of(
          "httpcache-memory",
          "httpcache-sqlite",
          "httpcache-filesystem",
          "httpcache-redis",
          "httpcache-sqlite-wb",
          "httpcache-filesystem-wb",
          "httpcache-redis-wb",
          "interceptor-memory",
          "interceptor-sqlite",
          "okhttp-cache",
          "apache-cache",
          "plain-jdk",
          "plain-okhttp",
          "plain-apache");

  /** What a client says about where one response came from. */
  enum Source {
    /** Served from the cache; the origin was not asked. */
    HIT,
    /** The stored response was revalidated: a conditional request answered 304. */
    REVALIDATED,
    /** Fetched from the origin (a miss, or a client without a cache). */
    NETWORK
  }

  /** One response: where the client says it came from, and its whole body. */
  record Answer(Source source, byte[] body, String provenance) {}

  /**
   * One client, thread-safe. What it opened is closed by the {@link Resources} it was opened with.
   */
  interface Client {
    /** Sends a GET of {@code uri} and reads the whole body: one measured operation. */
    byte[] get(URI uri) throws Exception;

    /** Sends a GET of {@code uri}, and reports where the client says the answer came from. */
    Answer check(URI uri) throws Exception;

    /** Whether the client has a cache. */
    boolean caches();

    /** Empties the cache; nothing for a client without one. */
    void clear() throws Exception;

    /**
     * Returns how many responses the cache holds, or -1 where the client cannot tell (Apache's
     * storage does not count).
     */
    long stored() throws Exception;

    /** Returns the httpcache engine under this client, or null for the others. */
    @Nullable HttpCache cache();
  }

  /**
   * Opens the client called {@code name}; what it opens is registered with {@code resources}.
   *
   * @param standard for the httpcache clients: {@link HttpCache#standard()} (RFC 9111: {@code
   *     Cache-Control}, validators) instead of the default settings with a one-day expiry
   * @param redisNamespace the Redis namespace of {@code httpcache-redis}; emptied here first
   */
  static Client open(String name, Resources resources, boolean standard, String redisNamespace)
      throws Exception {
    switch (name) {
      case "httpcache-memory":
        return jdk(httpcache(resources, Storage.inMemory(), standard));
      case "httpcache-sqlite":
        return jdk(httpcache(resources, sqlite(resources), standard));
      case "httpcache-filesystem":
        return jdk(
            httpcache(
                resources,
                Storage.filesystem(resources.tempDirectory("fs-bench-").resolve("cache")),
                standard));
      case "httpcache-redis":
        return jdk(httpcache(resources, redis(redisNamespace), standard));
      case "httpcache-sqlite-wb":
        return jdk(httpcache(resources, sqlite(resources), standard, true));
      case "httpcache-filesystem-wb":
        return jdk(
            httpcache(
                resources,
                Storage.filesystem(resources.tempDirectory("fs-bench-").resolve("cache")),
                standard,
                true));
      case "httpcache-redis-wb":
        return jdk(httpcache(resources, redis(redisNamespace), standard, true));
      case "interceptor-memory":
        return interceptor(httpcache(resources, Storage.inMemory(), standard), resources);
      case "interceptor-sqlite":
        return interceptor(httpcache(resources, sqlite(resources), standard), resources);
      case "okhttp-cache":
        return okhttpCache(resources);
      case "apache-cache":
        return apache(
            resources.add(CachingHttpClients.custom().setCacheConfig(ApacheState.CONFIG).build()),
            true);
      case "plain-jdk":
        return plainJdk();
      case "plain-okhttp":
        return okhttp(okhttpClient(new OkHttpClient.Builder(), resources), null, null);
      case "plain-apache":
        return apache(resources.add(HttpClients.custom().build()), false);
      default:
        throw new IllegalArgumentException("no client named " + name + "; one of " + NAMES);
    }
  }

  /** The Redis of the hit benchmarks' system property, in {@code namespace}, emptied. */
  static Storage redis(String namespace) throws IOException {
    RedisStorage storage =
        RedisStorage.builder()
            .url(
                System.getProperty(
                    HttpcacheRedisState.URL_PROPERTY, HttpcacheRedisState.DEFAULT_URL))
            .namespace(namespace)
            .build();
    storage.clear();
    return storage;
  }

  private static Storage sqlite(Resources resources) throws IOException {
    return Storage.sqlite(resources.tempDirectory("sqlite-bench-").resolve("http_cache.sqlite"));
  }

  private static HttpCache httpcache(Resources resources, Storage storage, boolean standard) {
    return httpcache(resources, storage, standard, false);
  }

  /**
   * With {@code writeBehind}, responses reach the storage in background batches (the -wb names).
   */
  private static HttpCache httpcache(
      Resources resources, Storage storage, boolean standard, boolean writeBehind) {
    HttpCache.Builder builder =
        standard
            ? HttpCache.standard().storage(storage)
            : HttpCache.builder().storage(storage).expireAfter(Duration.ofDays(1));
    return resources.add(builder.writeBehind(writeBehind).build());
  }

  /** The JDK client the hit benchmarks use under httpcache, pinned to HTTP/1.1. */
  static HttpClient jdkClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private static Client jdk(HttpCache cache) {
    CachedHttpClient client = CachedHttpClient.of(jdkClient(), cache);
    return new Client() {
      @Override
      public byte[] get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray()).body();
      }

      @Override
      public Answer check(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
            client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
        CacheMetadata metadata = CachedHttpClient.metadata(response);
        return new Answer(source(metadata), response.body(), metadata.toString());
      }

      @Override
      public boolean caches() {
        return true;
      }

      @Override
      public void clear() throws IOException {
        cache.clear();
      }

      @Override
      public long stored() throws IOException {
        return cache.storage().count(Storage.Namespace.RESPONSES);
      }

      @Override
      public HttpCache cache() {
        return cache;
      }
    };
  }

  private static Source source(CacheMetadata metadata) {
    if (metadata.revalidated()) {
      return Source.REVALIDATED;
    }
    return metadata.fromCache() ? Source.HIT : Source.NETWORK;
  }

  private static Client interceptor(HttpCache cache, Resources resources) {
    OkHttpClient client =
        okhttpClient(
            new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(cache)), resources);
    return okhttp(client, null, cache);
  }

  private static Client okhttpCache(Resources resources) throws IOException {
    Cache cache =
        resources.add(new Cache(resources.tempDirectory("okhttp-bench-").toFile(), 64L << 20));
    return okhttp(okhttpClient(new OkHttpClient.Builder().cache(cache), resources), cache, null);
  }

  private static OkHttpClient okhttpClient(OkHttpClient.Builder builder, Resources resources) {
    OkHttpClient built = builder.build();
    resources.add(
        () -> {
          built.dispatcher().executorService().shutdown();
          built.connectionPool().evictAll();
        });
    return built;
  }

  /**
   * OkHttp: with its own {@code okhttpCache}, with httpcache's interceptor over {@code httpcache},
   * or plain when both are null.
   */
  private static Client okhttp(
      OkHttpClient client, @Nullable Cache okhttpCache, @Nullable HttpCache httpcache) {
    return new Client() {
      @Override
      public byte[] get(URI uri) throws IOException {
        try (Response response =
            client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
          return response.body().bytes();
        }
      }

      @Override
      public Answer check(URI uri) throws IOException {
        try (Response response =
            client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
          byte[] body = response.body().bytes();
          Response cached = response.cacheResponse();
          Response network = response.networkResponse();
          String provenance =
              "code "
                  + response.code()
                  + ", cacheResponse="
                  + cached
                  + ", networkResponse="
                  + network;
          Source source;
          if (httpcache != null) {
            CacheMetadata metadata = CacheInterceptor.metadata(response);
            source = source(metadata);
            provenance = metadata + ", " + provenance;
          } else if (cached != null && network == null) {
            source = Source.HIT;
          } else if (cached != null && network != null && network.code() == 304) {
            source = Source.REVALIDATED;
          } else {
            source = Source.NETWORK;
          }
          return new Answer(source, body, provenance);
        }
      }

      @Override
      public boolean caches() {
        return okhttpCache != null || httpcache != null;
      }

      @Override
      public void clear() throws IOException {
        if (okhttpCache != null) {
          okhttpCache.evictAll();
        }
        if (httpcache != null) {
          httpcache.clear();
        }
      }

      @Override
      public long stored() throws IOException {
        if (httpcache != null) {
          return httpcache.storage().count(Storage.Namespace.RESPONSES);
        }
        if (okhttpCache == null) {
          return 0;
        }
        long count = 0;
        for (Iterator<String> urls = okhttpCache.urls(); urls.hasNext(); urls.next()) {
          count++;
        }
        return count;
      }

      @Override
      public @Nullable HttpCache cache() {
        return httpcache;
      }
    };
  }

  private static Client apache(CloseableHttpClient client, boolean caches) {
    return new Client() {
      @Override
      public byte[] get(URI uri) throws IOException {
        return client.execute(
            new HttpGet(uri), response -> EntityUtils.toByteArray(response.getEntity()));
      }

      @Override
      public Answer check(URI uri) throws IOException {
        HttpCacheContext context = HttpCacheContext.create();
        try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(uri), context)) {
          byte[] body = EntityUtils.toByteArray(response.getEntity());
          CacheResponseStatus status = context.getCacheResponseStatus();
          Source source =
              status == CacheResponseStatus.CACHE_HIT
                  ? Source.HIT
                  : status == CacheResponseStatus.VALIDATED ? Source.REVALIDATED : Source.NETWORK;
          return new Answer(
              source, body, "code " + response.getCode() + ", cache response status " + status);
        }
      }

      @Override
      public boolean caches() {
        return caches;
      }

      @Override
      public void clear() {
        // Apache's in-memory storage has no public way to empty it; it bounds itself (1 000
        // entries, least recently used out).
      }

      @Override
      public long stored() {
        return caches ? -1 : 0;
      }

      @Override
      public @Nullable HttpCache cache() {
        return null;
      }
    };
  }

  private static Client plainJdk() {
    HttpClient client = jdkClient();
    return new Client() {
      @Override
      public byte[] get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray()).body();
      }

      @Override
      public Answer check(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
            client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
        return new Answer(Source.NETWORK, response.body(), "code " + response.statusCode());
      }

      @Override
      public boolean caches() {
        return false;
      }

      @Override
      public void clear() {}

      @Override
      public long stored() {
        return 0;
      }

      @Override
      public @Nullable HttpCache cache() {
        return null;
      }
    };
  }
}
