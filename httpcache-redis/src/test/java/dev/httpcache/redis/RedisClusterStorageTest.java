package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The storage contract on a Redis Cluster of three masters that the test starts itself. */
final class RedisClusterStorageTest extends StorageContract {
  @TempDir static Path dir;
  private static RedisCluster cluster;
  private final String namespace = Namespaces.random();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start(dir);
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private RedisStorage.Builder settings() {
    return RedisStorage.builder()
        .cluster(cluster.seeds())
        .namespace(namespace)
        .timeout(Duration.ofSeconds(5));
  }

  @Override
  protected Storage open() {
    return settings().build();
  }

  @AfterEach
  void removeTheNamespace() throws IOException {
    try (RedisStorage cleaner = settings().build()) {
      cleaner.clear();
    }
  }

  @Test
  void keysSpreadOverEveryMaster() throws IOException {
    for (int i = 0; i < 300; i++) {
      storage.put(Namespace.RESPONSES, "k" + i, bytes("v"), null);
    }
    long total = 0;
    for (RedisServer master : cluster.masters()) {
      try (Jedis jedis = master.client()) {
        long here = jedis.dbSize();
        assertThat(here).as(master.toString()).isPositive();
        total += here;
      }
    }
    assertThat(total).isEqualTo(300);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(300);
  }

  @Test
  void aClusterUrlReachesTheCluster() throws IOException {
    StringBuilder url = new StringBuilder("redis+cluster://");
    for (RedisServer master : cluster.masters()) {
      url.append(url.length() > "redis+cluster://".length() ? "," : "")
          .append("127.0.0.1:")
          .append(master.port());
    }
    url.append("?namespace=").append(namespace);
    try (RedisStorage fromUrl = RedisStorage.fromUrl(url.toString())) {
      fromUrl.put(Namespace.RESPONSES, "k", bytes("v"), null);
      assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
      assertThat(fromUrl.toString()).startsWith("RedisStorage[redis+cluster://127.0.0.1:");
    }
  }
}
