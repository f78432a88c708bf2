package dev.httpcache.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class FileNamesTest {

  /** Seeded random keys: plain, ASCII with punctuation, and any code point. */
  static Stream<String> keys() {
    Random random = new Random(20260101);
    String plain = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    return IntStream.range(0, 1_000)
        .mapToObj(
            i -> {
              int length = random.nextInt(i % 3 == 0 ? 129 : 40);
              StringBuilder key = new StringBuilder();
              while (key.length() < length) {
                switch (i % 3) {
                  case 0 -> key.append(plain.charAt(random.nextInt(plain.length())));
                  case 1 -> key.append((char) (0x20 + random.nextInt(0x5F)));
                  default -> {
                    int codePoint = random.nextInt(0x110000);
                    if (Character.isSurrogate((char) codePoint) && codePoint < 0x10000) {
                      continue;
                    }
                    key.appendCodePoint(codePoint);
                  }
                }
              }
              return key.toString();
            });
  }

  @ParameterizedTest
  @MethodSource("keys")
  void everyStorableKeyHasOneSafeNameThatLeadsBackToIt(String key) throws IOException {
    String base = FileNames.baseOrNull(key);
    if (base == null) {
      assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(124);
      assertThatThrownBy(() -> FileNames.base(key)).isInstanceOf(IOException.class);
      return;
    }
    assertThat(FileNames.base(key)).isEqualTo(base);
    assertThat(base).matches("[a-z0-9_-]{1,128}|~[a-z2-7]{0,199}");
    assertThat(FileNames.key(base)).isEqualTo(key);
    assertThat(FileNames.shard(key)).matches("[0-9a-f]{2}");
  }

  @Test
  void namesOfDifferentKeysNeverDifferOnlyInCase() {
    Map<String, String> seen = new HashMap<>();
    keys()
        .forEach(
            key -> {
              String base = FileNames.baseOrNull(key);
              if (base != null) {
                String other = seen.put(base.toLowerCase(java.util.Locale.ROOT), key);
                assertThat(other == null || other.equals(key)).as(key).isTrue();
              }
            });
    assertThat(FileNames.baseOrNull("Key")).isNotEqualTo(FileNames.baseOrNull("key"));
  }

  @Test
  void theExamplesOfTheDocsHold() throws IOException {
    String engineKey = "2dce0a4c50441bfccfa9caf4b58c3cba6e06c420505dd829f0436de1aa44baac";
    assertThat(FileNames.base(engineKey)).isEqualTo(engineKey);
    assertThat(FileNames.shard(engineKey)).isEqualTo("8b");
    assertThat(FileNames.base("tenant:A/7f3a")).isEqualTo("~orsw4ylooq5eclzxmyzwc");
    assertThat(FileNames.shard("tenant:A/7f3a")).isEqualTo("e0");
  }

  @Test
  void namesThatNoKeyWouldGetAreNotKeys() {
    assertThat(FileNames.key("")).isNull();
    assertThat(FileNames.key("UPPER")).isNull();
    assertThat(FileNames.key("a.b")).isNull();
    assertThat(FileNames.key("con")).isNull(); // a device name is always encoded
    assertThat(FileNames.key("~mfrgg")).isNull(); // "abc", which is plain
    assertThat(FileNames.key("~mfrgh")).isNull(); // stray trailing bits
    assertThat(FileNames.key("~MFRGG")).isNull();
    assertThat(FileNames.key("~!")).isNull();
    assertThat(FileNames.key("~" + FileNames.base32(new byte[] {(byte) 0xC3})))
        .isNull(); // bad UTF-8
    assertThat(FileNames.key("a".repeat(129))).isNull();
    assertThat(FileNames.key("~")).isEqualTo("");
    assertThat(FileNames.key("~mnxw4")).isEqualTo("con");
  }
}
