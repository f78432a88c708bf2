package dev.httpcache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.model.CachedRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RequestKeysTest {

  private static CachedRequest request(String method, String url, String contentType, String body) {
    Map<String, List<String>> headers =
        contentType.isEmpty() ? Map.of() : Map.of("Content-Type", List.of(contentType));
    return CachedRequest.of(
        method, URI.create(url), CachedRequest.headers(headers), body.getBytes(UTF_8));
  }

  private static String key(String method, String url, String contentType, String body) {
    return RequestKeys.key(request(method, url, contentType, body));
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
    assertThat(RequestKeys.normalizedBody(broken)).isEqualTo("{not json".getBytes(UTF_8));
  }

  @Test
  void formBodiesAreSorted() {
    CachedRequest form =
        request("POST", "https://e.com/f", "application/x-www-form-urlencoded", "b=2&a=1");
    assertThat(new String(RequestKeys.normalizedBody(form), UTF_8)).isEqualTo("a=1&b=2");
  }

  @Test
  void otherBodiesAreHashedByteForByte() {
    assertThat(key("POST", "https://e.com/f", "text/plain", "b=2&a=1"))
        .isNotEqualTo(key("POST", "https://e.com/f", "text/plain", "a=1&b=2"));
  }
}
