package dev.httpcache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class PolicyTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  static CachedResponse stored(@Nullable Instant expires, Map<String, List<String>> headers) {
    return CachedResponse.builder()
        .headers(CachedRequest.headers(headers))
        .request(CachedRequest.get(URI.create("https://example.com/")))
        .createdAt(NOW.minusSeconds(100))
        .expires(expires)
        .build();
  }

  static final CachedResponse FRESH = stored(NOW.plusSeconds(1), Map.of());
  static final CachedResponse NEVER = stored(null, Map.of());
  static final CachedResponse EXPIRED = stored(NOW, Map.of());
  static final CachedResponse EXPIRED_ETAG =
      stored(NOW.minusSeconds(1), Map.of("ETag", List.of("\"e\"")));
  static final CachedResponse FRESH_LM =
      stored(
          NOW.plusSeconds(60), Map.of("Last-Modified", List.of("Tue, 01 Jan 2026 00:00:00 GMT")));

  static Actions actions(boolean read, boolean revalidate, boolean onlyIfCached) {
    return new Actions(read, true, ExpireAfter.NEVER_EXPIRE, revalidate, onlyIfCached);
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of(
            "nothing stored", actions(true, false, false), null, CacheDecision.Fetch.class),
        Arguments.of("fresh", actions(true, false, false), FRESH, CacheDecision.Serve.class),
        Arguments.of(
            "never expires", actions(true, false, false), NEVER, CacheDecision.Serve.class),
        Arguments.of(
            "expires now", actions(true, false, false), EXPIRED, CacheDecision.Fetch.class),
        Arguments.of(
            "expired, ETag",
            actions(true, false, false),
            EXPIRED_ETAG,
            CacheDecision.Revalidate.class),
        Arguments.of(
            "read skipped", actions(false, false, false), FRESH, CacheDecision.Fetch.class),
        Arguments.of(
            "refresh, validator",
            actions(true, true, false),
            FRESH_LM,
            CacheDecision.Revalidate.class),
        Arguments.of("refresh, none", actions(true, true, false), FRESH, CacheDecision.Serve.class),
        Arguments.of(
            "offline, nothing",
            actions(true, false, true),
            null,
            CacheDecision.Unsatisfiable.class),
        Arguments.of(
            "offline, fresh", actions(true, false, true), FRESH, CacheDecision.Serve.class),
        Arguments.of(
            "offline, refresh", actions(true, true, true), FRESH_LM, CacheDecision.Serve.class),
        Arguments.of(
            "offline, expired",
            actions(true, false, true),
            EXPIRED_ETAG,
            CacheDecision.Unsatisfiable.class),
        Arguments.of(
            "offline, skip read",
            actions(false, false, true),
            FRESH,
            CacheDecision.Unsatisfiable.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decides(String name, Actions actions, @Nullable CachedResponse stored, Class<?> expected) {
    assertThat(Policy.decide(actions, stored, NOW)).isInstanceOf(expected);
  }

  @Test
  void revalidationCarriesBothValidators() {
    CachedResponse both =
        stored(
            NOW,
            Map.of(
                "ETag",
                List.of("\"x\""),
                "Last-Modified",
                List.of("Tue, 01 Jan 2026 00:00:00 GMT")));
    CacheDecision decision = Policy.decide(actions(true, false, false), both, NOW);
    assertThat(((CacheDecision.Revalidate) decision).conditionalHeaders())
        .containsExactly(
            Map.entry("If-None-Match", "\"x\""),
            Map.entry("If-Modified-Since", "Tue, 01 Jan 2026 00:00:00 GMT"));
  }

  static Stream<Arguments> storing() {
    Map<String, List<String>> none = Map.of();
    Map<String, List<String>> etag = Map.of("ETag", List.of("\"1\""));
    return Stream.of(
        Arguments.of(ExpireAfter.NEVER_EXPIRE, true, true, none, true),
        Arguments.of(ExpireAfter.NEVER_EXPIRE, false, true, none, false),
        Arguments.of(ExpireAfter.NEVER_EXPIRE, true, false, none, false),
        Arguments.of(ExpireAfter.DO_NOT_CACHE, true, true, etag, false),
        Arguments.of(ExpireAfter.EXPIRE_IMMEDIATELY, true, true, none, false),
        Arguments.of(ExpireAfter.EXPIRE_IMMEDIATELY, true, true, etag, true),
        Arguments.of(ExpireAfter.of(Duration.ZERO), true, true, none, false),
        Arguments.of(ExpireAfter.at(NOW.minusSeconds(1)), true, true, none, false),
        Arguments.of(ExpireAfter.at(NOW.plusSeconds(1)), true, true, none, true),
        Arguments.of(ExpireAfter.of(Duration.ofSeconds(1)), true, true, none, true));
  }

  @ParameterizedTest(name = "{0} write={1} allowed={2} {3} -> {4}")
  @MethodSource("storing")
  void decidesWhatMayBeStored(
      ExpireAfter expireAfter,
      boolean write,
      boolean allowed,
      Map<String, List<String>> headers,
      boolean expected) {
    Actions actions = new Actions(true, write, expireAfter, false, false);
    assertThat(Policy.mayStore(actions, allowed, CachedRequest.headers(headers), NOW))
        .isEqualTo(expected);
  }

  @Test
  void a304UpdatesHeadersButNotTheBodyFraming() {
    var stored =
        CachedRequest.headers(
            Map.of(
                "Content-Length", List.of("10"),
                "Content-Type", List.of("text/plain"),
                "ETag", List.of("\"1\""),
                "Cache-Control", List.of("max-age=1")));
    var notModified =
        CachedRequest.headers(
            Map.of(
                "content-length", List.of("0"),
                "cache-control", List.of("max-age=60"),
                "X-New", List.of("n")));
    var merged = Policy.updateHeaders(stored, notModified);
    assertThat(merged.firstValue("Content-Length")).hasValue("10");
    assertThat(merged.allValues("Cache-Control")).containsExactly("max-age=60");
    assertThat(merged.firstValue("X-New")).hasValue("n");
    assertThat(merged.firstValue("ETag")).hasValue("\"1\"");
    assertThat(merged.firstValue("Content-Type")).hasValue("text/plain");
  }

  @Test
  void a304KeepsTheStoredSpellingOfANameAndAddsItsOwnLinesOnce() {
    var stored =
        CachedRequest.headers(
            Map.of(
                "Date", List.of("Mon, 01 Jun 2026 11:00:00 GMT"),
                "ETag", List.of("\"1\""),
                "X-Many", List.of("a", "b")));
    var notModified =
        CachedRequest.headers(
            Map.of(
                "DATE", List.of("Mon, 01 Jun 2026 12:00:00 GMT"),
                "etag", List.of("\"2\""),
                "x-many", List.of("c"),
                "X-Added", List.of("1", "2"),
                ":status", List.of("304")));
    var merged = Policy.updateHeaders(stored, notModified);
    assertThat(merged.map().keySet()).containsExactly("Date", "ETag", "X-Added", "X-Many");
    assertThat(merged.allValues("date")).containsExactly("Mon, 01 Jun 2026 12:00:00 GMT");
    assertThat(merged.allValues("ETag")).containsExactly("\"1\"");
    assertThat(merged.allValues("X-Many")).containsExactly("c");
    assertThat(merged.allValues("X-Added")).containsExactly("1", "2");
    // Updating with the same lines again changes nothing.
    assertThat(Policy.sameHeaders(Policy.updateHeaders(merged, notModified), merged)).isTrue();
  }

  @Test
  void a304ThatBringsNothingNewReturnsTheStoredHeadersThemselves() {
    var stored =
        CachedRequest.headers(
            Map.of(
                "Date", List.of("Mon, 01 Jun 2026 11:00:00 GMT"),
                "Cache-Control", List.of("no-cache"),
                "Content-Length", List.of("10"),
                "ETag", List.of("\"1\"")));
    // The same lines in other spellings, and framing lines that a 304 never updates.
    var same =
        CachedRequest.headers(
            Map.of(
                "date", List.of("Mon, 01 Jun 2026 11:00:00 GMT"),
                "CACHE-CONTROL", List.of("no-cache"),
                "Content-Length", List.of("0"),
                "ETag", List.of("\"2\""),
                ":status", List.of("304")));
    assertThat(Policy.updateHeaders(stored, same)).isSameAs(stored);
    assertThat(Policy.updateHeaders(stored, CachedRequest.headers(Map.of()))).isSameAs(stored);

    // One new value, one more value or one new name each make new headers.
    var later = CachedRequest.headers(Map.of("Date", List.of("Mon, 01 Jun 2026 11:00:01 GMT")));
    assertThat(Policy.updateHeaders(stored, later).allValues("date"))
        .containsExactly("Mon, 01 Jun 2026 11:00:01 GMT");
    var more = CachedRequest.headers(Map.of("Cache-Control", List.of("no-cache", "private")));
    assertThat(Policy.updateHeaders(stored, more).allValues("Cache-Control"))
        .containsExactly("no-cache", "private");
    var added = CachedRequest.headers(Map.of("Vary", List.of("Accept")));
    assertThat(Policy.updateHeaders(stored, added).map()).hasSize(5).containsKey("Vary");
  }

  @Test
  void servedHeadersCarryOneAgeInPlaceOfAStoredOne() {
    var stored =
        CachedRequest.headers(Map.of("age", List.of("100"), "Content-Type", List.of("text/plain")));
    var served = Policy.servedHeaders(stored, 7);
    assertThat(served.map()).hasSize(2);
    assertThat(served.allValues("Age")).containsExactly("7");
    assertThat(served.map().keySet()).contains("age");
    assertThat(served.allValues("content-type")).containsExactly("text/plain");
    var without = CachedRequest.headers(Map.of("Content-Type", List.of("text/plain")));
    assertThat(Policy.servedHeaders(without, 0).map())
        .containsExactly(
            Map.entry("Age", List.of("0")), Map.entry("Content-Type", List.of("text/plain")));
  }

  @Test
  void sameHeadersComparesLinesWithNamesInAnyCase() {
    var a = CachedRequest.headers(Map.of("ETag", List.of("\"1\""), "Date", List.of("d")));
    assertThat(Policy.sameHeaders(a, a)).isTrue();
    assertThat(
            Policy.sameHeaders(
                a, CachedRequest.headers(Map.of("etag", List.of("\"1\""), "DATE", List.of("d")))))
        .isTrue();
    assertThat(
            Policy.sameHeaders(
                a, CachedRequest.headers(Map.of("ETag", List.of("\"2\""), "Date", List.of("d")))))
        .isFalse();
    assertThat(Policy.sameHeaders(a, CachedRequest.headers(Map.of("ETag", List.of("\"1\"")))))
        .isFalse();
    assertThat(
            Policy.sameHeaders(
                a,
                CachedRequest.headers(Map.of("ETag", List.of("\"1\""), "Date", List.of("d", "e")))))
        .isFalse();
  }

  @Test
  void storableHeadersDropHopByHopLinesInAnyCaseAndThoseConnectionNames() {
    var headers =
        CachedRequest.headers(
            Map.of(
                "Content-Type", List.of("text/plain"),
                "KEEP-ALIVE", List.of("timeout=5"),
                "transfer-encoding", List.of("chunked"),
                "Connection", List.of("X-Hop, close"),
                "x-hop", List.of("1"),
                "X-Kept", List.of("2")));
    var storable = Policy.storableHeaders(headers, Rules.DEFAULT);
    assertThat(storable.map().keySet()).containsExactly("Content-Type", "X-Kept");
    var clean = CachedRequest.headers(Map.of("Content-Type", List.of("text/plain")));
    assertThat(Policy.storableHeaders(clean, Rules.DEFAULT)).isSameAs(clean);

    var named =
        CachedRequest.headers(
            Map.of(
                "Cache-Control", List.of("no-cache=\"X-One\", private=\"x-two\""),
                "x-one", List.of("1"),
                "X-TWO", List.of("2"),
                "X-Three", List.of("3")));
    Rules privateCache = new Rules(true, false, null, false, false, null, null);
    Rules sharedCache = new Rules(true, true, null, false, false, null, null);
    assertThat(Policy.storableHeaders(named, privateCache).map().keySet())
        .containsExactly("Cache-Control", "X-Three", "X-TWO");
    assertThat(Policy.storableHeaders(named, sharedCache).map().keySet())
        .containsExactly("Cache-Control", "X-Three");
    assertThat(Policy.storableHeaders(named, Rules.DEFAULT)).isSameAs(named);
  }

  static Stream<Arguments> ages() {
    Instant created = Instant.parse("2026-06-01T12:00:00.900Z");
    return Stream.of(
        // no Date, no Age: the time stored only; whole seconds, a borrow and a carry of nanos
        Arguments.of(created, Map.of(), created.plusMillis(1_050)),
        Arguments.of(created, Map.of(), created.plusMillis(999)),
        Arguments.of(created, Map.of(), created.plusSeconds(3)),
        // Date 0.9 s before it was stored: an initial age with nanos, then 0.2 s and 0.05 s more
        Arguments.of(
            created,
            Map.of("Date", List.of("Mon, 01 Jun 2026 12:00:00 GMT")),
            created.plusMillis(200)),
        Arguments.of(
            created,
            Map.of("Date", List.of("Mon, 01 Jun 2026 12:00:00 GMT")),
            created.plusMillis(50)),
        // an Age line larger than the apparent age
        Arguments.of(created, Map.of("Age", List.of("42")), created.plusMillis(1_500)),
        // served at or before it was stored: the initial age alone
        Arguments.of(created, Map.of("Age", List.of("7")), created),
        Arguments.of(created, Map.of("Age", List.of("7")), created.minusSeconds(5)),
        Arguments.of(
            created,
            Map.of("Date", List.of("Mon, 01 Jun 2026 11:59:58 GMT")),
            created.minusMillis(1)));
  }

  @ParameterizedTest
  @MethodSource("ages")
  void theAgeInSecondsIsTheWholeSecondsOfTheAge(
      Instant created, Map<String, List<String>> headers, Instant now) {
    CachedResponse response =
        CachedResponse.builder()
            .headers(CachedRequest.headers(headers))
            .request(CachedRequest.get(URI.create("https://example.com/")))
            .createdAt(created)
            .build();

    assertThat(Policy.ageSeconds(response, now)).isEqualTo(Policy.age(response, now).getSeconds());
  }
}
