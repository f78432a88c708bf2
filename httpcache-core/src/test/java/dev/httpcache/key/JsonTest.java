package dev.httpcache.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class JsonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"b\": 1, \"a\": 2}|{\"a\":2,\"b\":1}",
        "{\"z\": {\"y\": [3, {\"d\": 1, \"c\": 2}], \"x\": null}}|{\"z\":{\"x\":null,\"y\":[3,{\"c\":2,\"d\":1}]}}",
        "[3, 1, 2]|[3,1,2]",
        "  true |true",
        "-0.5e+10|-0.5e+10",
        "\"a\\u0041\\n\\/\"|\"aA\\n/\"",
        "{}|{}",
        "[]|[]",
      })
  void writesCanonically(String input, String canonical) {
    Object parsed = Objects.requireNonNull(Json.parse(input), input);
    assertThat(Json.write(parsed)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\"}",
        "{\"a\":1,}",
        "[1,]",
        "01",
        "1.",
        "-",
        "tru",
        "\"unterminated",
        "\"bad \\x escape\"",
        "{} {}",
        "nul",
        "[1 2]",
        "\"\\u12\""
      })
  void rejectsInvalidJson(String input) {
    assertThat(Json.parse(input)).isNull();
  }

  @Test
  void rejectsNestingPastTheLimit() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThat(Json.parse(deep)).isNull();
    String ok = "[".repeat(100) + "]".repeat(100);
    assertThat(Json.parse(ok)).isNotNull();
  }

  static Stream<String> junk() {
    Random random = new Random(42);
    String alphabet = "{}[]\":,.-+eE0123456789 \\untrfalsx";
    return IntStream.range(0, 2000)
        .mapToObj(
            i -> {
              StringBuilder s = new StringBuilder();
              int n = random.nextInt(30);
              for (int j = 0; j < n; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
              }
              return s.toString();
            });
  }

  @ParameterizedTest
  @MethodSource("junk")
  void neverThrowsOnJunkAndRoundTripsWhatItAccepts(String input) {
    Object parsed = Json.parse(input);
    if (parsed != null) {
      String canonical = Json.write(parsed);
      Object again = Objects.requireNonNull(Json.parse(canonical), canonical);
      assertThat(Json.write(again)).isEqualTo(canonical);
    }
  }
}
