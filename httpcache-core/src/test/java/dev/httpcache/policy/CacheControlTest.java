package dev.httpcache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedRequest;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

final class CacheControlTest {
  private static CacheControl cc(String... values) {
    return CacheControl.parse(List.of(values));
  }

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return CachedRequest.headers(map);
  }

  @ParameterizedTest(name = "{0} -> max-age {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max-age=60|60",
        "MAX-AGE = 60|60",
        "max-age=\"60\"|60",
        "public, max-age=60, must-revalidate|60",
        "max-age=60, max-age=10|60",
        "max-age=-1|0",
        "max-age=abc|0",
        "max-age=|0",
        "max-age=99999999999999999999|2147483648",
        "no-cache|-1",
        "|-1",
      })
  void maxAgeIsReadLeniently(String value, long expected) {
    assertThat(cc(value == null ? "" : value).maxAge).isEqualTo(expected);
  }

  @Test
  void aValueReadAgainIsReadAsItsOwnAndNeverAsAnotherOne() {
    // Enough distinct values that many share a slot of the parser's memo of recent values.
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < 2_000; i++) {
        String text = (i % 2 == 0 ? "max-age=" : "public, max-age=") + i;
        CacheControl c = cc(new String(text.toCharArray()));
        assertThat(c.maxAge).as(text).isEqualTo(i);
        assertThat(c.isPublic).as(text).isEqualTo(i % 2 == 1);
      }
    }
    String longValue = "max-age=5, " + "x-padding=1, ".repeat(40) + "no-store";
    assertThat(cc(longValue).noStore).isTrue();
    assertThat(cc(longValue).maxAge).isEqualTo(5);
    assertThat(cc("max-age=5").noStore).isFalse();
  }

  @Test
  void everyDirectiveIsRecognised() {
    CacheControl c =
        cc(
            "s-maxage=5, max-stale, min-fresh=3, stale-while-revalidate=7, stale-if-error=9",
            "no-cache=\"Set-Cookie, X-Foo\", no-store, must-revalidate, proxy-revalidate",
            "private=\"X-Bar\", public, immutable, must-understand, only-if-cached, no-transform,"
                + " x-unknown=1");
    assertThat(c.sMaxAge).isEqualTo(5);
    assertThat(c.maxStale).isEqualTo(CacheControl.MAX_DELTA);
    assertThat(c.minFresh).isEqualTo(3);
    assertThat(c.staleWhileRevalidate).isEqualTo(7);
    assertThat(c.staleIfError).isEqualTo(9);
    assertThat(c.noCache).isTrue();
    assertThat(c.noCacheFields).containsExactly("set-cookie", "x-foo");
    assertThat(c.noStore && c.mustRevalidate && c.proxyRevalidate && c.isPrivate).isTrue();
    assertThat(c.privateFields).containsExactly("x-bar");
    assertThat(c.isPublic && c.immutable && c.mustUnderstand && c.onlyIfCached).isTrue();
    assertThat(c.noTransform).isTrue();
  }

  @Test
  void pragmaNoCacheCountsOnlyWithoutCacheControl() {
    assertThat(CacheControl.ofRequest(headers("Pragma", "no-cache")).noCache).isTrue();
    assertThat(
            CacheControl.ofRequest(headers("Pragma", "no-cache", "Cache-Control", "max-age=5"))
                .noCache)
        .isFalse();
    assertThat(CacheControl.ofResponse(headers("Pragma", "no-cache")).noCache).isFalse();
  }

  static Stream<Long> seeds() {
    return IntStream.range(0, 500).mapToObj(i -> (long) i);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void parsingJunkNeverThrows(long seed) {
    Random random = new Random(seed);
    String alphabet = "max-age=\"\\,; \t0123456789no-cache-store,=\"";
    StringBuilder s = new StringBuilder();
    for (int i = 0, n = random.nextInt(60); i < n; i++) {
      s.append(
          random.nextInt(10) == 0
              ? (char) random.nextInt(0x3000)
              : alphabet.charAt(random.nextInt(alphabet.length())));
    }
    CacheControl c = cc(s.toString());
    assertThat(c.maxAge).isBetween(-1L, CacheControl.MAX_DELTA);
    assertThat(HttpDates.parse(s.toString())).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Sun, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z",
        "Sunday, 06-Nov-94 08:49:37 GMT|1994-11-06T08:49:37Z",
        "Sun Nov  6 08:49:37 1994|1994-11-06T08:49:37Z",
        "sun, 06 nov 1994 08:49:37 gmt|1994-11-06T08:49:37Z",
        "Thu, 01 Jan 1970 00:00:00 GMT|1970-01-01T00:00:00Z",
        "Tue, 1 Dec 2026 20:15:02 GMT|2026-12-01T20:15:02Z",
        "Tue, 01 DEC 2026 20:15:02 GMT|2026-12-01T20:15:02Z",
        "Tuesday, 01-dEc-26 20:15:02 GMT|2026-12-01T20:15:02Z",
      })
  void httpDatesInTheirThreeFormats(String text, String expected) {
    assertThat(HttpDates.parse(text)).isEqualTo(Instant.parse(expected));
    assertThat(HttpDates.parse(HttpDates.format(Instant.parse(expected))))
        .isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "0",
        "-1",
        "yesterday",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Nox 1994 08:49:37 GMT",
        "Sun, 06 Nove 1994 08:49:37 GMT",
        "Tue, 01 \u017Fep 2026 20:15:02 GMT"
      })
  void notADateIsNull(String text) {
    assertThat(HttpDates.parse(text)).isNull();
  }

  @Test
  void aDateReadAgainIsTheSameInstantAndNeverAnotherTextsOne() {
    // Enough distinct texts that many share a slot of the parser's memo of recent dates.
    Random random = new Random(9111);
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextInt(2_000_000_000)));
    }
    for (int pass = 0; pass < 3; pass++) {
      for (Instant instant : instants) {
        String text = HttpDates.format(instant);
        assertThat(HttpDates.parse(text)).as(text).isEqualTo(instant);
        assertThat(HttpDates.parse(new String(text.toCharArray()))).as(text).isEqualTo(instant);
      }
    }
    // Long texts are read as they always were, without being kept.
    String padded = " ".repeat(200) + "Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(200);
    assertThat(HttpDates.parse(padded)).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT".repeat(400))).isNull();
    // A text that is not a date is never remembered as one.
    for (int pass = 0; pass < 2; pass++) {
      assertThat(HttpDates.parse("Sun, 06 Nov 1994 25:49:37 GMT")).isNull();
    }
  }

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static String date(Duration beforeNow) {
    return HttpDates.format(NOW.minus(beforeNow));
  }

  @Test
  void theInitialAgeIsTheLargerOfApparentAgeAndTheAgeHeader() {
    assertThat(Freshness.initialAge(headers("Date", date(Duration.ofSeconds(30))), NOW))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(
            Freshness.initialAge(headers("Date", date(Duration.ofSeconds(30)), "Age", "100"), NOW))
        .isEqualTo(Duration.ofSeconds(100));
    assertThat(Freshness.initialAge(headers("Date", HttpDates.format(NOW.plusSeconds(60))), NOW))
        .isZero();
  }

  @ParameterizedTest(name = "Age: [{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0|0",
        " 120 |120",
        "99999999999999|2147483648",
        "7200,0|7200",
        "0, 7200|0",
        "junk|0",
        "-10|0",
        "1.5|0",
        "3600;foo=bar|0",
      })
  void theAgeIsReadAsSection51Says(String value, long expected) {
    assertThat(Freshness.ageValue(List.of(value))).isEqualTo(expected);
  }

  @Test
  void ofSeveralAgeLinesTheFirstCounts() {
    assertThat(Freshness.ageValue(List.of("3600", "0"))).isEqualTo(3600);
    assertThat(Freshness.ageValue(List.of("0", "3600"))).isZero();
    assertThat(Freshness.ageValue(List.of())).isZero();
  }

  private static Duration lifetime(boolean shared, String... headers) {
    HttpHeaders h = headers(headers);
    return Freshness.lifetime(200, h, CacheControl.ofResponse(h), NOW, shared, Duration.ofDays(1))
        .orElse(Duration.ofSeconds(-1));
  }

  @Test
  void theLifetimeFollowsTheOrderOfSection421() {
    assertThat(lifetime(true, "Cache-Control", "max-age=10, s-maxage=20"))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(lifetime(false, "Cache-Control", "max-age=10, s-maxage=20"))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            lifetime(
                false,
                "Cache-Control",
                "max-age=10",
                "Expires",
                HttpDates.format(NOW.plusSeconds(500))))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            lifetime(
                false,
                "Date",
                date(Duration.ofSeconds(100)),
                "Expires",
                HttpDates.format(NOW.plusSeconds(500))))
        .isEqualTo(Duration.ofSeconds(600));
    assertThat(lifetime(false, "Expires", "0")).isZero();
    assertThat(lifetime(false, "Expires", "")).isZero();
    assertThat(lifetime(false, "Last-Modified", date(Duration.ofSeconds(1000))))
        .isEqualTo(Duration.ofSeconds(100));
    assertThat(lifetime(false, "Last-Modified", date(Duration.ofDays(100))))
        .isEqualTo(Duration.ofDays(1));
    assertThat(lifetime(false, "ETag", "\"x\"")).isEqualTo(Duration.ofSeconds(-1));
  }

  @Test
  void heuristicsApplyOnlyToTheStatusesThatAllowThem() {
    HttpHeaders h = headers("Last-Modified", date(Duration.ofSeconds(1000)));
    assertThat(
            Freshness.lifetime(500, h, CacheControl.ofResponse(h), NOW, false, Duration.ofDays(1)))
        .isEmpty();
    HttpHeaders pub =
        headers("Last-Modified", date(Duration.ofSeconds(1000)), "Cache-Control", "public");
    assertThat(
            Freshness.lifetime(
                500, pub, CacheControl.ofResponse(pub), NOW, false, Duration.ofDays(1)))
        .contains(Duration.ofSeconds(100));
    assertThat(Freshness.lifetime(200, h, CacheControl.ofResponse(h), NOW, false, null)).isEmpty();
  }
}
