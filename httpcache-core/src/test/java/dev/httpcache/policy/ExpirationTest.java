package dev.httpcache.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ExpirationTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void specialValuesExpireAsRequestsCacheDoes() {
    assertThat(ExpireAfter.NEVER_EXPIRE.expiresAt(NOW)).isNull();
    assertThat(ExpireAfter.EXPIRE_IMMEDIATELY.expiresAt(NOW)).isEqualTo(NOW);
    assertThat(ExpireAfter.of(Duration.ofMinutes(2)).expiresAt(NOW))
        .isEqualTo(NOW.plusSeconds(120));
    assertThat(ExpireAfter.at(NOW.plusSeconds(5)).expiresAt(NOW.minusSeconds(100)))
        .isEqualTo(NOW.plusSeconds(5));
    assertThat(ExpireAfter.of(Duration.ZERO)).isEqualTo(ExpireAfter.EXPIRE_IMMEDIATELY);
    assertThatThrownBy(() -> ExpireAfter.DO_NOT_CACHE.expiresAt(NOW))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void negativeDurationsAreRefusedWithAHint() {
    assertThatThrownBy(() -> ExpireAfter.of(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EXPIRE_IMMEDIATELY");
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "*.site_1.com, http://img.site_1.com/base/img.jpg, true",
    "site_2.com/static, https://site_2.com/static/img.jpg, true",
    "site_2.com/resource_1, ftp://site_2.com/resource_1/index.html, true",
    "site_2.com/resource_1, https://site_2.com/resource_10, true",
    "site_2.com/resource_1, https://site_2.com/resource_1?x=1, true",
    "site_2.com/resource_1, https://site_2.com/resource_2, false",
    "https://site_2.com/static, http://site_2.com/static/a, true",
    "site_?.com, https://site_3.com/a, true",
    "site_[12].com, https://site_3.com/a, false",
    "site_[!12].com, https://site_3.com/a, true",
    "*, https://anything.example/x?y=z, true",
    "Site.com, https://site.com/, false",
    "example.com/a*b, https://example.com/a/x/b/c, true",
  })
  void globsMatchAsAPrefixWithoutTheScheme(String glob, String url, boolean matches) {
    assertThat(UrlPattern.glob(glob).matches(URI.create(url))).isEqualTo(matches);
  }

  @Test
  void regexesAreSearchedInTheWholeUrl() {
    UrlPattern pattern = UrlPattern.regex(Pattern.compile("site_2\\.com/api/resource/\\d+"));
    assertThat(pattern.matches(URI.create("https://site_2.com/api/resource/42"))).isTrue();
    assertThat(pattern.matches(URI.create("https://site_2.com/api/resource/xyz"))).isFalse();
  }

  @Test
  void badGlobsAreRefused() {
    assertThatThrownBy(() -> UrlPattern.glob(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UrlPattern.glob("a[bc")).isInstanceOf(IllegalArgumentException.class);
  }
}
