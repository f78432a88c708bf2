package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class LayoutTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  static Stream<Arguments> ttlRule() {
    return Stream.of(
        // expires, offset, time-to-live (null: none)
        Arguments.of(null, HOUR, null),
        Arguments.of(NOW.plusSeconds(60), HOUR, Duration.ofSeconds(3660)),
        Arguments.of(NOW.plus(Duration.ofDays(1)), HOUR, Duration.ofHours(25)),
        Arguments.of(NOW, HOUR, HOUR),
        Arguments.of(NOW.minusSeconds(1), HOUR, HOUR),
        Arguments.of(NOW.minus(Duration.ofDays(3650)), HOUR, HOUR),
        Arguments.of(Instant.MIN, HOUR, HOUR),
        Arguments.of(NOW.plusSeconds(60), Duration.ofSeconds(500), Duration.ofSeconds(560)),
        Arguments.of(NOW.minusSeconds(5), Duration.ZERO, Duration.ofMillis(1)),
        Arguments.of(NOW.plus(Duration.ofDays(365L * 101)), HOUR, null),
        Arguments.of(Instant.MAX, HOUR, null));
  }

  @ParameterizedTest
  @MethodSource
  void ttlRule(@Nullable Instant expires, Duration offset, @Nullable Duration ttl) {
    assertThat(Layout.ttl(expires, NOW, offset)).isEqualTo(ttl);
  }

  static Stream<Instant> expiryTimes() {
    return Stream.of(
        NOW, Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("1969-12-31T23:59:59.5Z"));
  }

  @ParameterizedTest
  @MethodSource("expiryTimes")
  void theHeaderKeepsTheExactExpiry(Instant expires) {
    byte[] stored = Layout.wrap(new byte[] {1, 2, 3}, expires);
    assertThat(Layout.isEntry(stored)).isTrue();
    assertThat(Layout.expires(stored)).isEqualTo(expires);
    assertThat(Layout.unwrap(stored)).containsExactly(1, 2, 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a:b", "a*", "a b", "ns?", "[x]", "ключ"})
  void otherNamespacesAreRefused(String namespace) {
    assertThatThrownBy(() -> new Layout(namespace))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http_cache", "api-v2", "team.cache", "X"})
  void plainNamespacesAreAccepted(String namespace) {
    Layout layout = new Layout(namespace);
    assertThat(layout.cacheKey(layout.responseKey("k:1"))).isEqualTo("k:1");
  }
}
