package dev.httpcache.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class UrlsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://example.com|https://example.com/",
        "HTTPS://Example.COM/Path|https://example.com/Path",
        "https://example.com:443/a|https://example.com/a",
        "http://example.com:80/a|http://example.com/a",
        "http://example.com:8080/a|http://example.com:8080/a",
        "https://example.com:80/a|https://example.com:80/a",
        "https://example.com/a/./b/../c|https://example.com/a/c",
        "https://example.com/a/b/..|https://example.com/a/",
        "https://example.com/../a|https://example.com/a",
        "https://example.com/a?b=2&a=1|https://example.com/a?a=1&b=2",
        "https://example.com/a?a=2&a=1|https://example.com/a?a=1&a=2",
        "https://example.com/a?a=1&a=1|https://example.com/a?a=1&a=1",
        "https://example.com/a?flag&a=1|https://example.com/a?a=1&flag",
        "https://example.com/a?a=&a|https://example.com/a?a&a=",
        "https://example.com/a?&&b=1&|https://example.com/a?b=1",
        "https://example.com/a?|https://example.com/a",
        "https://example.com/a#frag|https://example.com/a",
        "https://example.com/%7euser/%2f|https://example.com/~user/%2F",
        "https://example.com/a?q=%41%2b|https://example.com/a?q=A%2B",
        "https://user:pw@example.com/|https://user:REDACTED@example.com/",
        "https://user@example.com/|https://user@example.com/",
        "HTTP://Example.COM:80/a/./b/../c?b=2&a=1#top|http://example.com/a/c?a=1&b=2",
      })
  void normalizes(String input, String expected) {
    assertThat(Urls.normalize(URI.create(input))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "b=2&a=1|a=1&b=2",
        "a=1|a=1",
        "''|''",
        "z&y=1&y|y&y=1&z",
      })
  void sortsQueries(String query, String expected) {
    assertThat(Urls.sortQuery(query)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/a/b/c|/a/b/c",
        "/a/./b|/a/b",
        "/a/b/../../..|/",
        "/a/.|/a/",
        "/.hidden/x|/.hidden/x"
      })
  void removesDotSegments(String path, String expected) {
    assertThat(Urls.removeDotSegments(path)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void encodesCharactersOutsideAscii() {
    URI uri = URI.create("https://example.com/caf%C3%A9");
    URI raw = URI.create("https://example.com/caf\u00e9");
    assertThat(Urls.normalize(raw)).isEqualTo(Urls.normalize(uri)).endsWith("/caf%C3%A9");
  }
}
