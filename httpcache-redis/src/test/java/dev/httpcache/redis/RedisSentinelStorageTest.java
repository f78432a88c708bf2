package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The storage contract on a master found through Sentinel: a master and one Sentinel that the test
 * starts itself. (Failover to a replica: {@link RedisSentinelFailoverTest}.)
 */
final class RedisSentinelStorageTest extends StorageContract {
  private static final String MASTER = "cachemaster";
  @TempDir static Path dir;
  private static RedisServer master;
  private static RedisServer sentinel;
  private final String namespace = Namespaces.random();

  @BeforeAll
  static void start() throws IOException {
    master = RedisServer.start(dir.resolve("master"));
    sentinel = RedisServer.startSentinel(dir.resolve("sentinel"), MASTER, master.port());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (sentinel != null) {
      sentinel.close();
    }
    if (master != null) {
      master.close();
    }
  }

  private RedisStorage.Builder settings() {
    return RedisStorage.builder()
        .sentinel(MASTER, List.of(InetSocketAddress.createUnresolved("127.0.0.1", sentinel.port())))
        .database(2)
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
  void entriesLandInTheDatabaseOfTheMasterThatSentinelNames() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), null);
    try (Jedis jedis = master.client()) {
      jedis.select(2);
      assertThat(jedis.exists(namespace + ":r:k")).isTrue();
    }
  }

  @Test
  void aSentinelUrlFindsTheMaster() throws IOException {
    String url =
        "redis+sentinel://127.0.0.1:"
            + sentinel.port()
            + "/"
            + MASTER
            + "/2?namespace="
            + namespace;
    try (RedisStorage fromUrl = RedisStorage.fromUrl(url)) {
      fromUrl.put(Namespace.RESPONSES, "k", bytes("v"), null);
      assertThat(storage.get(Namespace.RESPONSES, "k")).isPresent();
      assertThat(fromUrl.toString())
          .startsWith("RedisStorage[redis+sentinel://127.0.0.1:" + sentinel.port() + "/" + MASTER);
    }
  }
}
