package dev.httpcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.codec.Codec;
import dev.httpcache.codec.CodecStage;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile cache contents ({@link HostileEntries}) on each storage of core, under each kind of codec
 * of core: the binary codec alone and compressed, which cannot tell a changed entry (a request is
 * answered, changed entries that still decode are served), and signed and encrypted, which can (a
 * changed entry raises IntegrityException, never is served). On the filesystem half the mutations
 * are written straight into the entry's file, not through the storage. 40 cases per storage and
 * codec by default, 500 in the long run.
 */
final class HostileContentsTest {
  private static final SecretKeys KEYS = SecretKeys.of(bytes(1));
  private static final SecretKeys OTHER_KEYS = SecretKeys.of(bytes(2));

  @TempDir Path dir;

  private static byte[] bytes(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String storage : List.of("memory", "sqlite", "filesystem")) {
      all.add(Arguments.of(storage, "binary"));
      all.add(Arguments.of(storage, "binary+deflate"));
      all.add(Arguments.of(storage, "signed"));
      all.add(Arguments.of(storage, "encrypted"));
    }
    return all.stream();
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Codec codec(String name) {
    return switch (name) {
      case "binary" -> Codec.binary();
      case "binary+deflate" -> Codec.pipeline(Codec.binary(), CodecStage.compressed());
      case "signed" -> Codec.signed(KEYS);
      default -> Codec.encrypted(KEYS);
    };
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void everyPlantedEntryIsAMissOrAnIntegrityFailureNeverAnotherError(String kind, String codec)
      throws Exception {
    long seed = Reliability.seed("HostileContentsTest " + kind + " " + codec);
    int cases = Reliability.scale(40, 500);
    Codec other = codec.equals("binary") ? Codec.signed(OTHER_KEYS) : Codec.binary();
    Path location = dir.resolve("cache");
    try (Storage storage =
        switch (kind) {
          case "memory" -> Storage.inMemory();
          case "sqlite" -> Storage.sqlite(dir.resolve("cache.sqlite"));
          default -> Storage.filesystem(location);
        }) {
      HostileEntries.Planter planter;
      if (kind.equals("filesystem")) {
        Random coin = new Random(seed);
        planter =
            (key, value) -> {
              if (coin.nextBoolean()) {
                storage.put(Namespace.RESPONSES, key, value, null);
              } else {
                // Straight into the entry's file: its shard folder is the first byte of the
                // SHA-256 of its key (docs/storages.md).
                storage.remove(Namespace.RESPONSES, key);
                byte[] hash = sha256(key);
                Path file =
                    location
                        .resolve("responses")
                        .resolve(HexFormat.of().formatHex(hash, 0, 1))
                        .resolve(key + ".bin");
                Files.createDirectories(file.getParent());
                Files.write(file, value);
                if (storage.get(Namespace.RESPONSES, key).isEmpty()) {
                  throw new IllegalStateException("the storage does not see " + file);
                }
              }
            };
      } else {
        planter = (key, value) -> storage.put(Namespace.RESPONSES, key, value, null);
      }
      HostileEntries.Report report =
          HostileEntries.run(storage, codec(codec), other, cases, seed, planter);
      System.out.println(
          "[reliability] hostile entries " + kind + ", " + codec + ": " + report.summary());
      assertThat(report.failures()).as(kind + ", " + codec + ": " + Reliability.replay()).isEmpty();
      assertThat(
              report.tally().keySet().stream()
                  .filter(k -> k.startsWith("planted: "))
                  .mapToLong(k -> report.tally().get(k))
                  .sum())
          .isEqualTo(cases);
      if (codec(codec).authenticates()) {
        assertThat(report.tally()).containsKey("raised IntegrityException");
      }
    }
  }
}
