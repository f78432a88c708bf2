package dev.httpcache.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.policy.ExpireAfter;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class DurationsTest {
  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of("300ms", Duration.ofMillis(300)),
        Arguments.of("0ms", Duration.ZERO),
        Arguments.of("30s", Duration.ofSeconds(30)),
        Arguments.of("10m", Duration.ofMinutes(10)),
        Arguments.of("1h", Duration.ofHours(1)),
        Arguments.of("2d", Duration.ofDays(2)),
        Arguments.of("1h30m", Duration.ofMinutes(90)),
        Arguments.of("1m30s500ms", Duration.ofMillis(90_500)),
        Arguments.of(" 5S ", Duration.ofSeconds(5)),
        Arguments.of("PT10M", Duration.ofMinutes(10)),
        Arguments.of("pt1h", Duration.ofHours(1)),
        Arguments.of("P1D", Duration.ofDays(1)));
  }

  @ParameterizedTest
  @MethodSource("durations")
  void parsesShortAndIsoDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10",
        "10x",
        "-5s",
        "1.5h",
        "h",
        "PT",
        "-PT1M",
        "ten minutes",
        "99999999999999999999d"
      })
  void rejectsWhatIsNotADurationWithAMessage(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  static Stream<Arguments> expirations() {
    return Stream.of(
        Arguments.of("never", ExpireAfter.NEVER_EXPIRE),
        Arguments.of("NEVER", ExpireAfter.NEVER_EXPIRE),
        Arguments.of("0", ExpireAfter.EXPIRE_IMMEDIATELY),
        Arguments.of("0s", ExpireAfter.EXPIRE_IMMEDIATELY),
        Arguments.of("10m", ExpireAfter.of(Duration.ofMinutes(10))),
        Arguments.of("PT1H", ExpireAfter.of(Duration.ofHours(1))));
  }

  @ParameterizedTest
  @MethodSource("expirations")
  void parsesExpirations(String text, ExpireAfter expected) {
    assertThat(Durations.parseExpiration(text)).isEqualTo(expected);
  }
}
