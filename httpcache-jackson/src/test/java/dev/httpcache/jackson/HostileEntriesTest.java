package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecStage;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.reliability.HostileEntries;
import dev.httpcache.reliability.Reliability;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core's hostile cache contents ({@link HostileEntries}) under the JSON, YAML and CBOR codecs, and
 * JSON signed, on the memory, SQLite and filesystem storages. On the filesystem a JSON entry is a
 * plain {@code .json} document: half the mutations of JSON entries are written straight into that
 * file (the document without its frame, as a person editing it would leave it). 25 cases per
 * storage and codec by default, 500 in the long run.
 */
final class HostileEntriesTest {
  private static final SecretKeys KEYS = SecretKeys.of(bytes(3));
  private static final int FRAME_JSON = 5 + "json-v1".length();

  @TempDir Path dir;

  private static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String storage : List.of("memory", "sqlite", "filesystem")) {
      for (String codec : List.of("json", "yaml", "cbor", "json+signed")) {
        all.add(Arguments.of(storage, codec));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void everyPlantedEntryIsAMissOrAnIntegrityFailureNeverAnotherError(String kind, String name)
      throws Exception {
    long seed = Reliability.seed("jackson HostileEntriesTest " + kind + " " + name);
    Codec codec =
        switch (name) {
          case "json" -> JacksonCodecs.json();
          case "yaml" -> JacksonCodecs.yaml();
          case "cbor" -> JacksonCodecs.cbor();
          default -> Codec.pipeline(JacksonCodecs.json(), CodecStage.signed(KEYS));
        };
    Codec other = name.equals("json") ? JacksonCodecs.cbor() : JacksonCodecs.json();
    Path cacheDir = dir.resolve("cache");
    try (Storage storage =
        switch (kind) {
          case "memory" -> Storage.inMemory();
          case "sqlite" -> Storage.sqlite(dir.resolve("cache.sqlite"));
          default -> Storage.filesystem(cacheDir);
        }) {
      Random coin = new Random(seed);
      HostileEntries.Planter planter =
          (key, value) -> {
            boolean jsonFrame =
                value.length >= FRAME_JSON
                    && Arrays.equals(value, 0, FRAME_JSON, framePrefix("json-v1"), 0, FRAME_JSON);
            if (kind.equals("filesystem") && jsonFrame && coin.nextBoolean()) {
              storage.remove(Namespace.RESPONSES, key);
              Path file = cacheDir.resolve("responses").resolve(shard(key)).resolve(key + ".json");
              Files.createDirectories(file.getParent());
              Files.write(file, Arrays.copyOfRange(value, FRAME_JSON, value.length));
              if (storage.get(Namespace.RESPONSES, key).isEmpty()) {
                throw new IllegalStateException("the storage does not see " + file);
              }
            } else {
              storage.put(Namespace.RESPONSES, key, value, null);
            }
          };
      HostileEntries.Report report =
          HostileEntries.run(storage, codec, other, Reliability.scale(25, 500), seed, planter);
      System.out.println(
          "[reliability] hostile entries " + kind + ", " + name + ": " + report.summary());
      assertThat(report.failures()).as(kind + ", " + name + ": " + Reliability.replay()).isEmpty();
    }
  }

  private static byte[] framePrefix(String codecName) {
    byte[] name = codecName.getBytes(US_ASCII);
    byte[] prefix = new byte[5 + name.length];
    prefix[0] = 'h';
    prefix[1] = 'c';
    prefix[2] = 'f';
    prefix[3] = 1;
    prefix[4] = (byte) name.length;
    System.arraycopy(name, 0, prefix, 5, name.length);
    return prefix;
  }

  private static String shard(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
      return HexFormat.of().formatHex(hash, 0, 1);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
