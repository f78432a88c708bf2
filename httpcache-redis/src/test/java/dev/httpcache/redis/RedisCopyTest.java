package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copying a cache between storages with nothing but the SPI (scan, get, put), as docs/redis.md
 * shows: a SQLite cache copied into Redis, and back into a new SQLite file, serves hits.
 */
final class RedisCopyTest {
  @TempDir Path dir;

  @BeforeAll
  static void sharedServerAnswers() {
    RedisServer.requireShared();
  }

  /** Copies every value of both namespaces, with its expiry; returns how many were copied. */
  static int copy(Storage from, Storage to) throws IOException {
    int copied = 0;
    for (Namespace namespace : Namespace.values()) {
      try (Storage.Cursor cursor = from.scan(namespace)) {
        for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
          Optional<byte[]> value = from.get(namespace, item.get().key());
          if (value.isPresent()) {
            to.put(namespace, item.get().key(), value.get(), item.get().expires());
            copied++;
          }
        }
      }
    }
    return copied;
  }

  private static int hits(Storage storage, LocalOrigin origin, int count) throws Exception {
    int hits = 0;
    HttpCache cache = HttpCache.builder().storage(storage).build();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    for (int i = 0; i < count; i++) {
      String path = "/item/" + i;
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("body of " + path);
      hits += CachedHttpClient.metadata(response).fromCache() ? 1 : 0;
    }
    return hits; // the cache is not closed: the caller closes the storage
  }

  @Test
  void aSqliteCacheCopiedIntoRedisAndBackServesHits() throws Exception {
    String namespace = Namespaces.random();
    try (LocalOrigin origin = new LocalOrigin(0);
        Storage sqlite = Storage.sqlite(dir.resolve("first.sqlite"));
        RedisStorage redis =
            RedisStorage.builder()
                .server("127.0.0.1", RedisServer.SHARED_PORT)
                .namespace(namespace)
                .build();
        Storage back = Storage.sqlite(dir.resolve("second.sqlite"))) {
      try {
        assertThat(hits(sqlite, origin, 20)).isZero();
        assertThat(copy(sqlite, redis)).isEqualTo(20);
        assertThat(hits(redis, origin, 20)).isEqualTo(20);
        assertThat(copy(redis, back)).isEqualTo(20);
        assertThat(hits(back, origin, 20)).isEqualTo(20);
        assertThat(origin.requestCount()).isEqualTo(20);
      } finally {
        redis.clear();
      }
    }
  }
}
