package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class BreakerTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final Breaker breaker = new Breaker(Duration.ofSeconds(2), clock, "redis://h:1/0");

  @Test
  void aClosedBreakerLetsEveryCallThrough() throws IOException {
    assertThat(breaker.admit()).isFalse();
    assertThat(breaker.admit()).isFalse();
    assertThat(breaker.isOpen()).isFalse();
  }

  @Test
  void aFailureToConnectRefusesCallsForTheBackoff() throws IOException {
    assertThat(breaker.unreachable("Connection refused")).isTrue();
    assertThatThrownBy(breaker::admit)
        .isInstanceOf(IOException.class)
        .hasMessage(
            "Redis at redis://h:1/0 is skipped for up to 2000 ms after a connection failure:"
                + " Connection refused");
    clock.advance(Duration.ofMillis(1999));
    assertThatThrownBy(breaker::admit).isInstanceOf(IOException.class);
  }

  @Test
  void afterTheBackoffOneCallProbesWhileTheOthersAreStillRefused() throws IOException {
    breaker.unreachable("down");
    clock.advance(Duration.ofSeconds(2));
    assertThat(breaker.admit()).isTrue();
    assertThatThrownBy(breaker::admit).isInstanceOf(IOException.class);
    breaker.reachable();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.admit()).isFalse();
  }

  @Test
  void aFailedProbeOpensTheBreakerForAnotherBackoff() throws IOException {
    breaker.unreachable("down");
    clock.advance(Duration.ofSeconds(2));
    assertThat(breaker.admit()).isTrue();
    assertThat(breaker.unreachable("still down")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(breaker::admit).hasMessageEndingWith("still down");
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.admit()).isTrue();
  }

  @Test
  void aProbeThatEndsWithoutAnAnswerLetsAnotherProbe() throws IOException {
    breaker.unreachable("down");
    clock.advance(Duration.ofSeconds(2));
    assertThat(breaker.admit()).isTrue();
    breaker.endProbe();
    assertThat(breaker.admit()).isTrue();
  }
}
