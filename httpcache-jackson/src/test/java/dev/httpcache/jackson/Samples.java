package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.httpcache.codec.Codec;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Responses and codecs the tests share. */
final class Samples {
  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456789Z");
  static final Instant EXPIRES = Instant.parse("2026-01-02T04:04:05Z");

  private Samples() {}

  static Stream<Codec> codecs() {
    return Stream.of(JacksonCodecs.json(), JacksonCodecs.yaml(), JacksonCodecs.cbor());
  }

  static HttpHeaders headers(String... namesAndValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.computeIfAbsent(namesAndValues[i], k -> new java.util.ArrayList<>())
          .add(namesAndValues[i + 1]);
    }
    return CachedRequest.headers(map);
  }

  /** A GET for {@code https://example.com/api} answered 200 with this type and body. */
  static CachedResponse response(String contentType, byte[] body) {
    return CachedResponse.builder()
        .statusCode(200)
        .headers(
            contentType.isEmpty()
                ? headers()
                : headers("Content-Type", contentType, "Cache-Control", "max-age=3600"))
        .body(body)
        .request(CachedRequest.get(URI.create("https://example.com/api?q=1")))
        .createdAt(CREATED)
        .expires(EXPIRES)
        .build();
  }

  static CachedResponse response(String contentType, String body) {
    return response(contentType, body.getBytes(UTF_8));
  }

  /**
   * The response the golden files hold: a JSON body, repeated and unicode header values, a unicode
   * URL, an expiry, and a POST with a form body.
   */
  static CachedResponse golden() {
    CachedRequest request =
        CachedRequest.of(
            "POST",
            URI.create("https://api.example.com/search?q=caf%C3%A9&lang=\u65e5\u672c"),
            headers(
                "Accept", "application/json",
                "Accept", "text/plain;q=0.5",
                "Content-Type", "application/x-www-form-urlencoded",
                "X-Note", "na\u00efve \u2603"),
            "term=caf%C3%A9&page=2".getBytes(UTF_8));
    return CachedResponse.builder()
        .statusCode(200)
        .reason("OK")
        .headers(
            headers(
                "Content-Type", "application/json; charset=utf-8",
                "Cache-Control", "max-age=3600",
                "ETag", "\"v1-\u00e9t\u00e9\"",
                "Set-Cookie", "a=1; Path=/",
                "Set-Cookie", "b=2; Path=/",
                "Vary", "Accept"))
        .body(
            "{\"results\":[{\"id\":1,\"name\":\"caf\u00e9\",\"score\":0.75}],\"next\":null}"
                .getBytes(UTF_8))
        .uri(URI.create("https://api.example.com/search?q=caf%C3%A9&page=2"))
        .request(request)
        .createdAt(CREATED)
        .expires(EXPIRES)
        .build();
  }
}
