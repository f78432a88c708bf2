package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage.Namespace;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Redis's maxmemory bounds the cache: on a server with a small maxmemory and allkeys-lru, entries
 * that Redis evicted are plain misses through the cache, answered by the origin, with no fault.
 */
final class RedisEvictionTest {
  private static final int BODY = 64 * 1024;
  private static final int PATHS = 80; // about 5 MiB of bodies into a 3 MiB Redis

  @TempDir Path dir;

  @Test
  void anEntryThatRedisEvictedIsAMiss() throws Exception {
    FaultLog log = new FaultLog();
    try (RedisServer server =
            RedisServer.start(dir, "--maxmemory", "3mb", "--maxmemory-policy", "allkeys-lru");
        LocalOrigin origin = new LocalOrigin(BODY);
        RedisStorage storage =
            RedisStorage.builder().url(server.url()).namespace(Namespaces.random()).build();
        HttpCache cache = HttpCache.builder().storage(storage).listener(log).build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (int i = 0; i < PATHS; i++) {
        assertThat(fetch(client, origin, "/item/" + i)).isFalse();
      }
      assertThat(log.stored.get()).isEqualTo(PATHS);
      long kept = storage.count(Namespace.RESPONSES);
      assertThat(kept).as("Redis evicted some entries").isLessThan(PATHS).isPositive();
      try (Jedis jedis = server.client()) {
        assertThat(jedis.info("stats")).containsPattern("evicted_keys:[1-9]");
      }

      // Ask for every path again: what Redis kept is a hit, what it evicted a miss.
      int before = origin.requestCount();
      int misses = 0;
      for (int i = 0; i < PATHS; i++) {
        if (!fetch(client, origin, "/item/" + i)) {
          misses++;
        }
      }
      assertThat(misses).isPositive();
      assertThat(origin.requestCount()).isEqualTo(before + misses);
      assertThat(log.faults).as("eviction is no fault").isEmpty();
    }
  }

  /** Fetches {@code path}, checks the body, and returns whether it came from the cache. */
  private static boolean fetch(CachedHttpClient client, LocalOrigin origin, String path)
      throws Exception {
    HttpResponse<byte[]> response =
        client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(new String(LocalOrigin.body(path, BODY), StandardCharsets.UTF_8));
    return CachedHttpClient.metadata(response).fromCache();
  }
}
