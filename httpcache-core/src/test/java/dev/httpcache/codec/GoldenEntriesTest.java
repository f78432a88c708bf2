package dev.httpcache.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entries written by this version, kept as test resources: every later version must still read them
 * (or, once a format is retired, reject them cleanly). Regenerate only when adding a format: {@code
 * java -cp <test classpath> dev.httpcache.codec.GoldenEntriesTest src/test/resources/golden}.
 */
final class GoldenEntriesTest {
  static final String KEY = "golden-entry-key";
  static final SecretKeys KEYS = SecretKeys.of(CodecPipelineTest.bytes(42));

  /** The codec of each golden file, named for the codec that wrote it. */
  static final Map<String, Codec> CODECS =
      Map.of(
          "binary-v1.bin", Codec.binary(),
          "binary-v1+deflate.bin", Codec.pipeline(Codec.binary(), CodecStage.compressed()),
          "binary-v1+hmac-sha256.bin", Codec.signed(KEYS),
          "binary-v1+deflate+aes-256-gcm.bin", Codec.encrypted(KEYS),
          "binary-v2.bin", Codec.binary(),
          "binary-v2+deflate.bin", Codec.pipeline(Codec.binary(), CodecStage.compressed()),
          "binary-v2+hmac-sha256.bin", Codec.signed(KEYS),
          "binary-v2+deflate+aes-256-gcm.bin", Codec.encrypted(KEYS));

  static CachedResponse golden() {
    return BinaryCodecTest.sample(
        ("golden body, long enough to be worth compressing. ".repeat(20)).getBytes(UTF_8),
        Instant.parse("2027-06-01T12:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "binary-v1.bin",
        "binary-v1+deflate.bin",
        "binary-v1+hmac-sha256.bin",
        "binary-v1+deflate+aes-256-gcm.bin",
        "binary-v2.bin",
        "binary-v2+deflate.bin",
        "binary-v2+hmac-sha256.bin",
        "binary-v2+deflate+aes-256-gcm.bin"
      })
  void anEntryOfEachReleasedFormatIsStillRead(String file) throws IOException {
    byte[] entry;
    try (InputStream in =
        Objects.requireNonNull(
            GoldenEntriesTest.class.getResourceAsStream("/golden/" + file), file)) {
      entry = in.readAllBytes();
    }
    Codec codec = Objects.requireNonNull(CODECS.get(file), file);
    assertThat(codec.reads(file.substring(0, file.length() - ".bin".length()))).isTrue();
    assertThat(codec.decode(KEY, entry)).isEqualTo(golden());
  }

  /** Writes the golden entries of the current format into the folder named by the argument. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Map.Entry<String, Codec> e : CODECS.entrySet()) {
      if (e.getKey().equals(e.getValue().name() + ".bin")) {
        Files.write(dir.resolve(e.getKey()), e.getValue().encode(KEY, golden()));
      }
    }
  }
}
