package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecStage;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.reliability.HostileEntries;
import dev.httpcache.reliability.Reliability;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core's hostile cache contents ({@link HostileEntries}) on the Redis storage (the shared server, a
 * namespace of its own): mutated entries and aliases are put straight into Redis under the keys of
 * real entries, then requested through CachedHttpClient. Every request ends, with no exception but
 * IntegrityException under a signing or encrypting codec, which never serves a changed entry. 40
 * cases per codec by default, 500 in the long run.
 */
final class RedisHostileEntriesTest {
  private static final SecretKeys KEYS = SecretKeys.of(bytes(1));
  private final String namespace = Namespaces.random();

  private static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  @BeforeAll
  static void sharedServerAnswers() {
    RedisServer.requireShared();
  }

  private RedisStorage open() {
    return RedisStorage.builder()
        .server("127.0.0.1", RedisServer.SHARED_PORT)
        .namespace(namespace)
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void removeTheNamespace() throws IOException {
    try (RedisStorage cleaner = open()) {
      cleaner.clear();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"binary", "binary+deflate", "signed", "encrypted"})
  void everyPlantedEntryIsAMissOrAnIntegrityFailureNeverAnotherError(String name) throws Exception {
    long seed = Reliability.seed("RedisHostileEntriesTest " + name);
    Codec codec =
        switch (name) {
          case "binary" -> Codec.binary();
          case "binary+deflate" -> Codec.pipeline(Codec.binary(), CodecStage.compressed());
          case "signed" -> Codec.signed(KEYS);
          default -> Codec.encrypted(KEYS);
        };
    Codec other = name.equals("binary") ? Codec.signed(KEYS) : Codec.binary();
    try (RedisStorage storage = open()) {
      HostileEntries.Report report =
          HostileEntries.run(storage, codec, other, Reliability.scale(40, 500), seed);
      System.out.println("[reliability] hostile entries redis, " + name + ": " + report.summary());
      assertThat(report.failures()).as(name + ": " + Reliability.replay()).isEmpty();
      if (codec.authenticates()) {
        assertThat(report.tally()).containsKey("raised IntegrityException");
      }
    }
  }
}
