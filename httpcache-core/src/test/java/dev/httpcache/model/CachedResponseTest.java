package dev.httpcache.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The names a stored response varies on, read once per response. */
final class CachedResponseTest {
  private static CachedResponse withHeaders(Map<String, List<String>> headers) {
    return CachedResponse.builder()
        .headers(HttpHeaders.of(headers, (a, b) -> true))
        .request(CachedRequest.get(URI.create("https://example.com/")))
        .createdAt(Instant.EPOCH)
        .build();
  }

  @Test
  void varyNamesAreLowerCaseInOrderWithoutRepeats() {
    CachedResponse response =
        withHeaders(Map.of("vary", List.of("Accept-Encoding, ACCEPT ,, accept-encoding", "*")));

    assertThat(response.varyNames()).containsExactly("accept-encoding", "accept", "*");
    assertThat(withHeaders(Map.of()).varyNames()).isEmpty();
  }

  @Test
  void varyNamesAreParsedOnceAndCannotBeChanged() {
    CachedResponse response = withHeaders(Map.of("Vary", List.of("Accept")));

    List<String> first = response.varyNames();

    assertThat(response.varyNames()).isSameAs(first);
    assertThatThrownBy(() -> first.add("cookie")).isInstanceOf(UnsupportedOperationException.class);
    // A response built from it parses its own headers.
    CachedResponse other =
        response.toBuilder().headers(HttpHeaders.of(Map.of(), (a, b) -> true)).build();
    assertThat(other.varyNames()).isEmpty();
  }

  @Test
  void theHeadersServedAtAnAgeAreMadeOnceAndSharedWithAResponseOfTheSameHeaders() {
    CachedResponse response = withHeaders(Map.of("Cache-Control", List.of("max-age=60")));
    List<Long> made = new java.util.ArrayList<>();
    CachedResponse.AgedHeaders make =
        (stored, age) -> {
          made.add(age);
          return HttpHeaders.of(
              Map.of("Age", List.of(Long.toString(age)), "Cache-Control", List.of("max-age=60")),
              (a, b) -> true);
        };

    HttpHeaders atFive = response.headersAt(5, make);
    assertThat(response.headersAt(5, make)).isSameAs(atFive);
    assertThat(atFive.firstValue("Age")).hasValue("5");
    HttpHeaders atSix = response.headersAt(6, make);
    assertThat(atSix.firstValue("Age")).hasValue("6");
    assertThat(made).containsExactly(5L, 6L);

    // Built from it with the same headers (a revalidated response): the same memo.
    CachedResponse revalidated =
        response.toBuilder().createdAt(Instant.EPOCH.plusSeconds(9)).build();
    assertThat(revalidated.headersAt(6, make)).isSameAs(atSix);
    assertThat(made).containsExactly(5L, 6L);
    // With other headers: a memo of its own.
    CachedResponse changed =
        response.toBuilder().headers(HttpHeaders.of(Map.of(), (a, b) -> true)).build();
    changed.headersAt(6, make);
    assertThat(made).containsExactly(5L, 6L, 6L);
  }

  @Test
  void itsInitialAgeIsComputedOnceAndNotSharedWithAResponseOfAnotherCreationTime() {
    CachedResponse response = withHeaders(Map.of("Age", List.of("7")));
    List<Instant> computed = new ArrayList<>();
    BiFunction<HttpHeaders, Instant, Duration> compute =
        (headers, createdAt) -> {
          computed.add(createdAt);
          return Duration.ofSeconds(Long.parseLong(headers.firstValue("Age").orElseThrow()));
        };

    assertThat(response.initialAge(compute)).isEqualTo(Duration.ofSeconds(7));
    assertThat(response.initialAge(compute)).isEqualTo(Duration.ofSeconds(7));
    assertThat(computed).containsExactly(Instant.EPOCH);

    // Revalidated (same headers, a new creation time): its own.
    CachedResponse revalidated =
        response.toBuilder().createdAt(Instant.EPOCH.plusSeconds(9)).build();
    revalidated.initialAge(compute);
    assertThat(computed).containsExactly(Instant.EPOCH, Instant.EPOCH.plusSeconds(9));
  }
}
