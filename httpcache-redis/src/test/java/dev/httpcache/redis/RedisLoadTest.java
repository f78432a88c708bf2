package dev.httpcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.reliability.LeakScan;
import dev.httpcache.reliability.LoadRun;
import dev.httpcache.reliability.Reliability;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The load run of core's reliability tests ({@link LoadRun}) on the Redis storage, on the shared
 * server at 127.0.0.1:6379 in a namespace of its own: 16 threads, no error, no wrong body, no
 * storage fault, a bounded heap, and then no secret in any key or value of the namespace, read raw
 * from Redis with SCAN, GET and HGETALL. 3 000 requests by default, 40 000 in the long variant.
 */
final class RedisLoadTest {
  private final String namespace = Namespaces.random();

  @BeforeAll
  static void sharedServerAnswers() {
    RedisServer.requireShared();
  }

  private RedisStorage open() {
    return RedisStorage.builder()
        .server("127.0.0.1", RedisServer.SHARED_PORT)
        .namespace(namespace)
        .timeout(Duration.ofSeconds(5)) // generous: this machine is shared with other builds
        .maxConnections(16)
        .build();
  }

  @AfterEach
  void removeTheNamespace() throws IOException {
    try (RedisStorage cleaner = open()) {
      cleaner.clear();
    }
  }

  @Test
  void sixteenThreadsGetOnlyRightBodiesAndLeaveNoSecretInRedis() throws Exception {
    long seed = Reliability.seed("RedisLoadTest");
    LoadRun.Settings settings =
        new LoadRun.Settings(
            16, Reliability.scale(3_000, 40_000), Reliability.scale(300, 1_000), seed);
    try (Storage storage = open()) {
      LoadRun.Report report = LoadRun.run(storage, settings);
      System.out.println("[reliability] load redis: " + report.summary());
      String replay = Reliability.replay() + "; " + report.summary();
      assertThat(report.problems()).as(replay).isEmpty();
      assertThat(report.wrong()).as(replay).isZero();
      assertThat(report.errors()).as(replay).isZero();
      assertThat(report.faults()).as(replay).isZero();
      assertThat(report.hits()).as(replay).isPositive();
      assertThat(report.revalidated()).as(replay).isPositive();
      assertThat(report.network()).as(replay).isPositive();
      assertThat(report.unsafe()).as(replay).isPositive();
      assertThat(report.heapAfter() - report.heapBefore()).as(replay).isLessThan(64L * 1024 * 1024);

      assertThat(report.secrets()).hasSizeGreaterThan(10);
      assertThat(LeakScan.findInValues(storage, report.secrets())).as(replay).isEmpty();
      List<String> found = new ArrayList<>();
      int values = 0;
      try (Jedis redis = new Jedis("127.0.0.1", RedisServer.SHARED_PORT)) {
        ScanParams match = new ScanParams().match(namespace + ":*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          ScanResult<String> page = redis.scan(cursor, match);
          for (String key : page.getResult()) {
            found.addAll(LeakScan.find("key " + key, key.getBytes(UTF_8), report.secrets()));
            byte[] name = key.getBytes(UTF_8);
            if (redis.type(name).equals("hash")) {
              for (Map.Entry<byte[], byte[]> field : redis.hgetAll(name).entrySet()) {
                found.addAll(LeakScan.find(key, field.getKey(), report.secrets()));
                found.addAll(LeakScan.find(key, field.getValue(), report.secrets()));
              }
            } else {
              byte[] value = redis.get(name);
              if (value != null) {
                values++;
                found.addAll(LeakScan.find(key, value, report.secrets()));
              }
            }
          }
          cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
      assertThat(values).as("raw values read from Redis").isPositive();
      assertThat(found).as(replay).isEmpty();
    }
  }
}
