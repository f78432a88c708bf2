package dev.httpcache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class RequestKeysTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final RequestKeys PLAIN =
      RequestKeys.of(Redactor.of(List.of()), false, List.of(), SECRET);

  private static CachedRequest request(String method, String url, String contentType, String body) {
    Map<String, List<String>> headers =
        contentType.isEmpty() ? Map.of() : Map.of("Content-Type", List.of(contentType));
    return CachedRequest.of(
        method, URI.create(url), CachedRequest.headers(headers), body.getBytes(UTF_8));
  }

  private static String key(String method, String url, String contentType, String body) {
    return PLAIN.key(request(method, url, contentType, body));
  }

  @Test
  void keyIsSha256Hex() {
    assertThat(key("GET", "https://example.com/", "", "")).matches("[0-9a-f]{64}");
  }

  @Test
  void equivalentUrlsShareAKey() {
    assertThat(key("GET", "https://Example.com:443/a?b=1&a=2", "", ""))
        .isEqualTo(key("get", "https://example.com/a?a=2&b=1", "", ""));
  }

  @Test
  void methodUrlAndBodyEachChangeTheKey() {
    String base = key("POST", "https://example.com/a", "text/plain", "x");
    assertThat(key("PUT", "https://example.com/a", "text/plain", "x")).isNotEqualTo(base);
    assertThat(key("POST", "https://example.com/b", "text/plain", "x")).isNotEqualTo(base);
    assertThat(key("POST", "https://example.com/a", "text/plain", "y")).isNotEqualTo(base);
  }

  @Test
  void partsAreFramedSoTheyCannotRunIntoEachOther() {
    // Without framing, "GET" + "X" and "GETX" + "" would hash alike.
    assertThat(RequestKeys.key("GET", "https://a/", "X".getBytes(UTF_8)))
        .isNotEqualTo(RequestKeys.key("GET", "https://a/X", new byte[0]));
  }

  @Test
  void jsonBodiesAreComparedAsJson() {
    assertThat(key("POST", "https://e.com/q", "application/json", "{\"b\":1, \"a\":[1,2]}"))
        .isEqualTo(
            key(
                "POST",
                "https://e.com/q",
                "application/vnd.api+json; charset=utf-8",
                "{\"a\":[1,2],\"b\":1}"));
    assertThat(key("POST", "https://e.com/q", "application/json", "{\"a\":[2,1]}"))
        .isNotEqualTo(key("POST", "https://e.com/q", "application/json", "{\"a\":[1,2]}"));
  }

  @Test
  void invalidJsonIsHashedAsItIs() {
    CachedRequest broken = request("POST", "https://e.com/q", "application/json", "{not json");
    assertThat(PLAIN.normalizedBody(broken)).isEqualTo("{not json".getBytes(UTF_8));
  }

  @Test
  void formBodiesAreSorted() {
    CachedRequest form =
        request("POST", "https://e.com/f", "application/x-www-form-urlencoded", "b=2&a=1");
    assertThat(new String(PLAIN.normalizedBody(form), UTF_8)).isEqualTo("a=1&b=2");
  }

  @Test
  void otherBodiesAreHashedByteForByte() {
    assertThat(key("POST", "https://e.com/f", "text/plain", "b=2&a=1"))
        .isNotEqualTo(key("POST", "https://e.com/f", "text/plain", "a=1&b=2"));
  }

  private static final RequestKeys DEFAULTS =
      RequestKeys.of(
          Redactor.of(dev.httpcache.HttpCache.DEFAULT_IGNORED_PARAMETERS),
          false,
          List.of(),
          SECRET);

  private static CachedRequest withHeaders(String url, String... nameValues) {
    Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return CachedRequest.of("GET", URI.create(url), CachedRequest.headers(map), new byte[0]);
  }

  private static RequestKeys matching(boolean all, String... names) {
    return RequestKeys.of(
        Redactor.of(dev.httpcache.HttpCache.DEFAULT_IGNORED_PARAMETERS),
        all,
        List.of(names),
        SECRET);
  }

  @Test
  void anIgnoredQueryValueCountsAsRedacted() {
    String a = DEFAULTS.key(withHeaders("https://e.com/a?api_key=one&x=1"));
    assertThat(DEFAULTS.key(withHeaders("https://e.com/a?x=1&api_key=two"))).isEqualTo(a);
    assertThat(DEFAULTS.key(withHeaders("https://e.com/a?x=1"))).isNotEqualTo(a);
    assertThat(PLAIN.key(withHeaders("https://e.com/a?api_key=one&x=1")))
        .isNotEqualTo(PLAIN.key(withHeaders("https://e.com/a?api_key=two&x=1")));
  }

  @Test
  void ignoredBodyFieldsCountAsRedactedAtEveryDepth() {
    String one =
        DEFAULTS.key(
            request(
                "POST",
                "https://e.com/q",
                "application/json",
                "{\"q\":1,\"auth\":[{\"access_token\":\"one\"}]}"));
    String two =
        DEFAULTS.key(
            request(
                "POST",
                "https://e.com/q",
                "application/json",
                "{\"auth\":[{\"ACCESS_TOKEN\":\"two\"}],\"q\":1}"));
    assertThat(two).isNotEqualTo(one); // the name's case is part of the JSON
    String three =
        DEFAULTS.key(
            request(
                "POST",
                "https://e.com/q",
                "application/json",
                "{\"auth\":[{\"access_token\":\"three\"}],\"q\":1}"));
    assertThat(three).isEqualTo(one);
    assertThat(
            DEFAULTS.key(
                request(
                    "POST",
                    "https://e.com/f",
                    "application/x-www-form-urlencoded",
                    "a=1&apikey=x")))
        .isEqualTo(
            DEFAULTS.key(
                request(
                    "POST",
                    "https://e.com/f",
                    "application/x-www-form-urlencoded",
                    "apikey=y&a=1")));
  }

  @Test
  void headersAreNotMatchedByDefault() {
    assertThat(DEFAULTS.key(withHeaders("https://e.com/", "Accept", "text/html")))
        .isEqualTo(DEFAULTS.key(withHeaders("https://e.com/", "Accept", "application/json")));
  }

  @Test
  void matchedHeadersChangeTheKeyWhateverTheirNameCaseAndListOrder() {
    RequestKeys keys = matching(false, "accept");
    String html = keys.key(withHeaders("https://e.com/", "Accept", "text/html, text/plain"));
    assertThat(keys.key(withHeaders("https://e.com/", "ACCEPT", "text/plain,text/html")))
        .isEqualTo(html);
    assertThat(keys.key(withHeaders("https://e.com/", "Accept", "application/json")))
        .isNotEqualTo(html);
    assertThat(keys.key(withHeaders("https://e.com/", "Accept", "text/html, text/plain", "X", "1")))
        .isEqualTo(html);
    assertThat(keys.key(withHeaders("https://e.com/"))).isNotEqualTo(html);
  }

  @Test
  void matchingAllHeadersTakesEveryHeader() {
    RequestKeys keys = matching(true);
    assertThat(keys.key(withHeaders("https://e.com/", "X-One", "1")))
        .isNotEqualTo(keys.key(withHeaders("https://e.com/", "X-One", "2")));
  }

  @Test
  void aMatchedSecretHeaderKeysByAnHmacOfItsValue() {
    RequestKeys keys = matching(false, "Authorization");
    String alice = keys.key(withHeaders("https://e.com/", "Authorization", "Bearer alice"));
    String bob = keys.key(withHeaders("https://e.com/", "authorization", "Bearer bob"));
    assertThat(bob).isNotEqualTo(alice);
    assertThat(keys.key(withHeaders("https://e.com/", "AUTHORIZATION", "Bearer alice")))
        .isEqualTo(alice);
    RequestKeys otherSecret =
        RequestKeys.of(
            Redactor.of(dev.httpcache.HttpCache.DEFAULT_IGNORED_PARAMETERS),
            false,
            List.of("Authorization"),
            "another secret of 32 bytes......".getBytes(UTF_8));
    assertThat(otherSecret.key(withHeaders("https://e.com/", "Authorization", "Bearer alice")))
        .isNotEqualTo(alice);
    assertThat(keys.headerValue("authorization", List.of("Bearer alice")))
        .startsWith("hmac:")
        .doesNotContain("alice");
  }

  @Test
  void variantKeysFollowTheVariedValuesInNormalForm() {
    String primary = DEFAULTS.key(withHeaders("https://e.com/"));
    List<String> vary = List.of("Accept-Language", "cookie");
    String en =
        DEFAULTS.variantKey(
            primary,
            vary,
            withHeaders("https://e.com/", "Accept-Language", "en", "Cookie", "a=1; b=2"));
    assertThat(
            DEFAULTS.variantKey(
                primary,
                vary,
                withHeaders("https://e.com/", "accept-language", "en", "Cookie", "b=2;a=1")))
        .isEqualTo(en);
    assertThat(
            DEFAULTS.variantKey(
                primary,
                vary,
                withHeaders("https://e.com/", "Accept-Language", "fr", "Cookie", "a=1; b=2")))
        .isNotEqualTo(en);
    assertThat(
            DEFAULTS.variantKey(
                primary, vary, withHeaders("https://e.com/", "Accept-Language", "en")))
        .isNotEqualTo(en);
  }

  @ParameterizedTest(name = "Vary: {0}; stored {1}; now {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "-|Accept=a|Accept=b|MATCH",
        "Accept|Accept=a|Accept=a|MATCH",
        "accept|Accept=a, b|Accept=b,a|MATCH",
        "Accept|Accept=a|Accept=b|MISMATCH",
        "Accept|Accept=a|-|MISMATCH",
        "Accept, X-Other|Accept=a|Accept=a|MATCH",
        "*|Accept=a|Accept=a|MISMATCH",
        "Cookie|Cookie=x=1; y=2|Cookie=y=2;x=1|MATCH",
        "Cookie|Cookie=x=1|Cookie=x=2|MISMATCH",
        "Authorization|-|Authorization=Bearer b|REFUSED",
        "Accept, AUTHORIZATION|Authorization=REDACTED|authorization=Bearer b|REFUSED",
        "Authorization|Authorization=REDACTED|-|MISMATCH",
        "Authorization|-|-|MATCH",
      })
  void varyDecidesWhetherAStoredResponseMayAnswer(
      String vary, String stored, String now, RequestKeys.VaryMatch expected) {
    HttpHeaders responseHeaders =
        CachedRequest.headers(vary == null ? Map.of() : Map.of("Vary", List.of(vary)));
    assertThat(
            DEFAULTS.matchVary(RequestKeys.varyNames(responseHeaders), header(stored), header(now)))
        .isEqualTo(expected);
  }

  private static CachedRequest header(String nameValue) {
    if (nameValue == null) {
      return withHeaders("https://e.com/");
    }
    int eq = nameValue.indexOf('=');
    return withHeaders("https://e.com/", nameValue.substring(0, eq), nameValue.substring(eq + 1));
  }

  @Test
  void aMatchedSecretHeaderInVaryIsLeftToTheKey() {
    RequestKeys keys = matching(false, "Authorization");
    assertThat(
            keys.matchVary(
                List.of("authorization"),
                withHeaders("https://e.com/", "Authorization", "REDACTED"),
                withHeaders("https://e.com/", "Authorization", "Bearer a")))
        .isEqualTo(RequestKeys.VaryMatch.MATCH);
  }
}
