package dev.httpcache.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import dev.httpcache.storage.contract.StorageContract;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The storage contract, and Redis's own behaviour, on the shared server at 127.0.0.1:6379. */
final class RedisStorageTest extends StorageContract {
  private static final Instant T = Instant.parse("2025-03-01T12:00:00Z");
  private final String namespace = Namespaces.random();
  private final TestClock clock = new TestClock(T);

  @BeforeAll
  static void sharedServerAnswers() {
    RedisServer.requireShared();
  }

  private RedisStorage.Builder settings() {
    return RedisStorage.builder()
        .server("127.0.0.1", RedisServer.SHARED_PORT)
        .namespace(namespace)
        .timeout(Duration.ofSeconds(5)); // generous: this machine is shared with other builds
  }

  @Override
  protected Storage open() {
    return settings().build();
  }

  @AfterEach
  void removeTheNamespace() throws IOException {
    try (RedisStorage cleaner = settings().build()) {
      cleaner.clear();
      assertThat(cleaner.count(Namespace.RESPONSES)).isZero();
    }
  }

  private static Jedis redis() {
    return new Jedis("127.0.0.1", RedisServer.SHARED_PORT);
  }

  private byte[] responseKey(String key) {
    return (namespace + ":r:" + key).getBytes(UTF_8);
  }

  @Test
  void theTimeToLiveIsTheFreshTimeLeftPlusTheOffset() throws IOException {
    try (RedisStorage s = settings().clock(clock).ttlOffset(Duration.ofMinutes(10)).build();
        Jedis redis = redis()) {
      s.put(Namespace.RESPONSES, "fresh", bytes("v"), T.plusSeconds(60));
      long ttl = redis.pttl(responseKey("fresh"));
      assertThat(ttl).isBetween(Duration.ofSeconds(660 - 30).toMillis(), 660_000L);
    }
  }

  @Test
  void anEntryThatNeverExpiresGetsNoTimeToLive() throws IOException {
    try (RedisStorage s = settings().clock(clock).build();
        Jedis redis = redis()) {
      s.put(Namespace.RESPONSES, "k", bytes("v"), T.plusSeconds(60));
      assertThat(redis.pttl(responseKey("k"))).isPositive();
      s.put(Namespace.RESPONSES, "k", bytes("v"), null);
      assertThat(redis.pttl(responseKey("k"))).isEqualTo(-1);
      s.put(Namespace.RESPONSES, "far", bytes("v"), Instant.MAX);
      assertThat(redis.pttl(responseKey("far"))).isEqualTo(-1);
    }
  }

  @Test
  void anEntryAlreadyStaleGetsTheOffsetAlone() throws IOException {
    try (RedisStorage s = settings().clock(clock).ttlOffset(Duration.ofMinutes(5)).build();
        Jedis redis = redis()) {
      s.put(Namespace.RESPONSES, "stale", bytes("v"), T.minus(Duration.ofDays(365)));
      s.put(Namespace.RESPONSES, "oldest", bytes("v"), Instant.MIN);
      for (String key : new String[] {"stale", "oldest"}) {
        assertThat(redis.pttl(responseKey(key)))
            .as(key)
            .isBetween(Duration.ofMinutes(5).minusSeconds(30).toMillis(), 300_000L);
      }
      // Still readable while the offset runs: stale entries serve revalidation.
      assertThat(s.get(Namespace.RESPONSES, "stale")).isPresent();
    }
  }

  @Test
  void theDefaultOffsetIsOneHour() throws IOException {
    try (RedisStorage s = settings().clock(clock).build();
        Jedis redis = redis()) {
      s.put(Namespace.RESPONSES, "stale", bytes("v"), T.minusSeconds(1));
      assertThat(redis.pttl(responseKey("stale")))
          .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }
  }

  @Test
  void responsesAreKeysUnderTheNamespaceAndAliasesFieldsOfOneHash() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("response"), null);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), LATER);
    try (Jedis redis = redis()) {
      byte[] stored = redis.get(responseKey("k"));
      assertThat(stored).hasSize(Layout.HEADER_LENGTH + "response".length());
      assertThat(new String(stored, 0, 3, UTF_8)).isEqualTo("hcr");
      assertThat(redis.type(namespace + ":redirects")).isEqualTo("hash");
      assertThat(redis.hkeys(namespace + ":redirects")).containsExactly("a");
      assertThat(redis.pttl(namespace + ":redirects")).isEqualTo(-1);
    }
  }

  @Test
  void namespacesShareOneRedisWithoutMeeting() throws IOException {
    String other = Namespaces.random();
    try (RedisStorage neighbour = settings().namespace(other).build()) {
      neighbour.put(Namespace.RESPONSES, "k", bytes("theirs"), null);
      neighbour.put(Namespace.REDIRECTS, "a", bytes("k"), null);
      storage.put(Namespace.RESPONSES, "k", bytes("mine"), null);
      storage.clear();
      assertThat(storage.count(Namespace.RESPONSES)).isZero();
      assertThat(neighbour.get(Namespace.RESPONSES, "k").orElseThrow()).isEqualTo(bytes("theirs"));
      assertThat(neighbour.count(Namespace.REDIRECTS)).isEqualTo(1);
      neighbour.clear();
    }
  }

  @Test
  void anEntryThatRedisExpiredIsAMiss() throws IOException {
    storage.put(Namespace.RESPONSES, "k", bytes("v"), LATER);
    try (Jedis redis = redis()) {
      redis.pexpireAt(responseKey("k"), 1); // as when its time-to-live runs out
    }
    assertThat(storage.get(Namespace.RESPONSES, "k")).isEmpty();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void aValueThatIsNoEntryIsAMissButScanSeesIt() throws IOException {
    try (Jedis redis = redis()) {
      redis.set(responseKey("foreign"), "hello".getBytes(UTF_8));
    }
    assertThat(storage.get(Namespace.RESPONSES, "foreign")).isEmpty();
    assertThat(scanAll(Namespace.RESPONSES)).containsExactly(new Item("foreign", 5, null));
    assertThat(storage.remove(Namespace.RESPONSES, "foreign")).isTrue();
  }

  @Test
  void expiryTimesKeepTheirNanoseconds() throws IOException {
    Instant exact = Instant.parse("2031-02-03T04:05:06.123456789Z");
    storage.put(Namespace.RESPONSES, "k", bytes("v"), exact);
    storage.put(Namespace.REDIRECTS, "a", bytes("k"), exact);
    assertThat(scanAll(Namespace.RESPONSES)).containsExactly(new Item("k", 1, exact));
    assertThat(scanAll(Namespace.REDIRECTS)).containsExactly(new Item("a", 1, exact));
  }

  @Test
  void removeExpiredLeavesOtherNamespacesAlone() throws IOException {
    String other = Namespaces.random();
    try (RedisStorage neighbour = settings().namespace(other).build()) {
      neighbour.put(Namespace.RESPONSES, "old", bytes("v"), PAST);
      storage.put(Namespace.RESPONSES, "old", bytes("v"), PAST);
      assertThat(storage.removeExpired(Namespace.RESPONSES, NOW)).isEqualTo(1);
      assertThat(neighbour.count(Namespace.RESPONSES)).isEqualTo(1);
      neighbour.clear();
    }
  }

  @Test
  void toStringShowsTheServerAndNamespace() {
    assertThat(storage.toString())
        .isEqualTo("RedisStorage[redis://127.0.0.1:6379/0, namespace=" + namespace + "]");
  }
}
