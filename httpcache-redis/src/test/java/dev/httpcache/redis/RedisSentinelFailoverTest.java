package dev.httpcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A failover under Sentinel: a master, its replica and one Sentinel that the test starts itself.
 * When the master goes away, Sentinel promotes the replica, and the storage follows it: what was
 * stored before is read from the new master, and writes go there.
 */
final class RedisSentinelFailoverTest {
  private static final String MASTER = "failovermaster";
  @TempDir Path dir;
  private @Nullable RedisServer master;
  private @Nullable RedisServer replica;
  private @Nullable RedisServer sentinel;
  private final String namespace = Namespaces.random();

  @AfterEach
  void stop() throws InterruptedException {
    for (RedisServer server : new RedisServer[] {sentinel, replica, master}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void afterAFailoverTheStorageReadsAndWritesTheNewMaster() throws Exception {
    RedisServer master = RedisServer.start(dir.resolve("master"));
    this.master = master;
    RedisServer replica =
        RedisServer.start(
            dir.resolve("replica"), "--replicaof", "127.0.0.1", String.valueOf(master.port()));
    this.replica = replica;
    RedisServer sentinel =
        RedisServer.startSentinel(
            dir.resolve("sentinel"),
            MASTER,
            master.port(),
            "sentinel down-after-milliseconds " + MASTER + " 1000",
            "sentinel failover-timeout " + MASTER + " 10000");
    this.sentinel = sentinel;
    try (RedisStorage storage =
        RedisStorage.builder()
            .sentinel(
                MASTER, List.of(InetSocketAddress.createUnresolved("127.0.0.1", sentinel.port())))
            .namespace(namespace)
            .timeout(Duration.ofSeconds(2))
            .backoff(Duration.ofMillis(100))
            .build()) {
      storage.put(Namespace.RESPONSES, "before", "stored before".getBytes(UTF_8), null);
      awaitKey(replica, namespace + ":r:before");
      awaitSentinelKnowsTheReplica(sentinel);

      master.stop();

      // Until Sentinel has promoted the replica, the storage fails (the cache then goes to the
      // network); then it follows the new master.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Optional<byte[]> read = Optional.empty();
      IOException last = null;
      while (System.nanoTime() < deadline) {
        try {
          storage.put(Namespace.RESPONSES, "after", "stored after".getBytes(UTF_8), null);
          read = storage.get(Namespace.RESPONSES, "before");
          break;
        } catch (IOException e) {
          last = e;
          Thread.sleep(100);
        }
      }
      assertThat(read)
          .as("read after the failover (last failure: %s)", last)
          .hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("stored before"));
      assertThat(storage.get(Namespace.RESPONSES, "after")).isPresent();
      try (Jedis promoted = replica.client()) {
        assertThat(promoted.info("replication")).contains("role:master");
        assertThat(promoted.exists(namespace + ":r:after")).isTrue();
      }
    }
  }

  /** Waits until {@code key} has reached {@code server} (a replica catching up with its master). */
  private static void awaitKey(RedisServer server, String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Jedis asked = server.client()) {
      while (System.nanoTime() < deadline) {
        if (asked.exists(key)) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError(key + " never reached " + server);
  }

  /**
   * Waits until the Sentinel has found the replica through the master, which it needs to fail over.
   */
  private static void awaitSentinelKnowsTheReplica(RedisServer sentinel)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Jedis asked = sentinel.client()) {
      while (System.nanoTime() < deadline) {
        if (!asked.sentinelReplicas(MASTER).isEmpty()) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the Sentinel never listed the replica");
  }
}
