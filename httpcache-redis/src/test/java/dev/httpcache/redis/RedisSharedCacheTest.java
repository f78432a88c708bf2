package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage.Namespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two JVM processes share one cache in the shared Redis: the second hits what the first stored. */
final class RedisSharedCacheTest {
  @BeforeAll
  static void sharedServerAnswers() {
    RedisServer.requireShared();
  }

  @Test
  void aSecondProcessGetsHitsForWhatTheFirstStored() throws Exception {
    String namespace = Namespaces.random();
    String url = "redis://127.0.0.1:" + RedisServer.SHARED_PORT + "/0?namespace=" + namespace;
    try (LocalOrigin origin = new LocalOrigin(0)) {
      assertThat(RedisClientMain.run(url, origin.uri("/"), 30)).contains("hits=0");
      assertThat(origin.requestCount()).isEqualTo(30);
      assertThat(RedisClientMain.run(url, origin.uri("/"), 30)).contains("hits=30");
      assertThat(origin.requestCount())
          .as("the second process never asked the origin")
          .isEqualTo(30);
    } finally {
      try (RedisStorage storage = RedisStorage.fromUrl(url)) {
        assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(30);
        storage.clear();
      }
    }
  }
}
