package dev.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.CacheDecision;
import dev.httpcache.storage.Storage;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An exchange's judgement of a response, made once when its head arrives, and the metadata it
 * reports for a response it has stored.
 */
final class ExchangeTest {
  private static final URI URL = URI.create("https://api.example.com/items/1");
  private static final byte[] BODY = "body".getBytes(StandardCharsets.US_ASCII);

  private final TestClock clock = new TestClock();
  private final HttpCache cache =
      HttpCache.standard().storage(Storage.inMemory()).clock(clock).build();

  /** Fresh for one second from now, with no validator: worth storing only while fresh. */
  private HttpHeaders freshForOneSecond() {
    Instant now = clock.instant();
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("Date", List.of(date(now)));
    map.put("Expires", List.of(date(now.plusSeconds(1))));
    return HttpHeaders.of(map, (name, value) -> true);
  }

  /** Fresh for a minute from now ({@code max-age}). */
  private HttpHeaders freshForAMinute() {
    return HttpHeaders.of(
        Map.of("Date", List.of(date(clock.instant())), "Cache-Control", List.of("max-age=60")),
        (name, value) -> true);
  }

  private static String date(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  private Exchange begin() throws Exception {
    return cache.begin(CachedRequest.get(URL), RequestOptions.DEFAULT);
  }

  @Test
  void theHeadersThatMayStoreApprovedAreStoredWithoutASecondJudgement() throws Exception {
    Exchange exchange = begin();
    HttpHeaders headers = freshForOneSecond();
    assertThat(exchange.mayStore(200, headers)).isTrue();
    // The body takes longer than the response's whole lifetime: judged now, it would be refused.
    clock.advance(Duration.ofSeconds(2));

    assertThat(exchange.store(200, headers, URL, BODY)).isPresent();
    assertThat(cache.contains(URL)).isTrue();
  }

  @Test
  void headersThatMayStoreDidNotApproveAreJudgedWhenStored() throws Exception {
    Exchange exchange = begin();
    HttpHeaders approved = freshForOneSecond();
    assertThat(exchange.mayStore(200, approved)).isTrue();
    clock.advance(Duration.ofSeconds(2));

    // Equal lines, another instance; and the same instance under another status.
    HttpHeaders equal = HttpHeaders.of(approved.map(), (name, value) -> true);
    assertThat(exchange.store(200, equal, URL, BODY)).isEmpty();
    assertThat(exchange.store(203, approved, URL, BODY)).isEmpty();
    assertThat(cache.contains(URL)).isFalse();
  }

  @Test
  void aResponseThatWasNeverJudgedIsJudgedWhenStored() throws Exception {
    Exchange exchange = begin();
    HttpHeaders headers = freshForOneSecond();
    clock.advance(Duration.ofSeconds(2));

    assertThat(exchange.store(200, headers, URL, BODY)).isEmpty();
    assertThat(cache.contains(URL)).isFalse();
  }

  @Test
  void theMetadataOfAStoredResponseAreThoseOfItsEntry() throws Exception {
    Exchange exchange = begin();
    Instant receivedAt = clock.instant();
    HttpHeaders headers = freshForAMinute();
    assertThat(exchange.mayStore(200, headers)).isTrue();
    clock.advance(Duration.ofSeconds(3));
    CachedResponse stored = exchange.store(200, headers, URL, BODY).orElseThrow();

    CacheMetadata metadata = exchange.networkMetadata(receivedAt, true, 200, headers);

    assertThat(metadata.createdAt()).isEqualTo(stored.createdAt()).isNotEqualTo(receivedAt);
    assertThat(metadata.expires()).isEqualTo(stored.expires());
    assertThat(cache.entry(exchange.key()).orElseThrow().expires()).isEqualTo(metadata.expires());
    assertThat(metadata.fromCache()).isFalse();
  }

  @Test
  void theMetadataOfAResponseNotYetStoredHaveTheExpiryItWouldHave() throws Exception {
    Exchange exchange = begin();
    Instant receivedAt = clock.instant();
    HttpHeaders headers = freshForAMinute();

    CacheMetadata storable = exchange.networkMetadata(receivedAt, true, 200, headers);
    CacheMetadata notStored = exchange.networkMetadata(receivedAt, false, 200, headers);

    assertThat(storable.createdAt()).isEqualTo(receivedAt);
    assertThat(storable.expires()).contains(receivedAt.plusSeconds(60));
    assertThat(notStored.expires()).isEmpty();
  }

  @Test
  void aHitIsServedWithItsAgeAtTheDecisionAndARevalidatedResponseWithItsAgeNow() throws Exception {
    Exchange first = begin();
    HttpHeaders headers = freshForAMinute();
    assertThat(first.mayStore(200, headers)).isTrue();
    assertThat(first.store(200, headers, URL, BODY)).isPresent();
    clock.advance(Duration.ofSeconds(5));
    Exchange hit = begin();
    CachedResponse stored = ((CacheDecision.Serve) hit.decision()).response();
    clock.advance(Duration.ofSeconds(10)); // the hit's body is replayed later

    assertThat(hit.servedHeaders(stored, false).firstValue("Age")).hasValue("5");
    assertThat(hit.servedHeaders(stored, true).firstValue("Age")).hasValue("15");
    assertThat(hit.cachedMetadata(stored, false).expired()).isFalse();
  }
}
