package dev.httpcache.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.codec.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Entries written by version 1 of each codec, kept in src/test/resources/golden, must decode to
 * {@link Samples#golden()} in every later version. Never regenerate them to make this test pass;
 * add new files for a new format version instead.
 */
final class GoldenEntriesTest {
  private static final Map<String, Codec> CODECS =
      Map.of(
          "json", JacksonCodecs.json(), "yaml", JacksonCodecs.yaml(), "cbor", JacksonCodecs.cbor());

  @ParameterizedTest
  @CsvSource({"json", "yaml", "cbor"})
  void theVersionOneFileDecodesToTheFixedResponse(String extension) throws IOException {
    byte[] golden = resource("/golden/entry-v1." + extension);
    assertThat(codec(extension).decode("k", golden)).isEqualTo(Samples.golden());
  }

  /** Writes the golden files; run once per format version with -Dhttpcache.golden.write=true. */
  @Test
  @EnabledIfSystemProperty(named = "httpcache.golden.write", matches = "true")
  void writeGoldenFiles() throws IOException {
    Path dir = Path.of("src/test/resources/golden");
    Files.createDirectories(dir);
    for (Map.Entry<String, Codec> e : CODECS.entrySet()) {
      Files.write(
          dir.resolve("entry-v1." + e.getKey()), e.getValue().encode("k", Samples.golden()));
    }
  }

  private static Codec codec(String extension) {
    return Objects.requireNonNull(CODECS.get(extension), extension);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = GoldenEntriesTest.class.getResourceAsStream(name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }
}
