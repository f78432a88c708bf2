package dev.httpcache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

final class RedactorTest {
  private final Redactor redactor = Redactor.of(HttpCache.DEFAULT_IGNORED_PARAMETERS);

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
    }
    return CachedRequest.headers(map);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://e.com/a?access_token=s1&b=2|https://e.com/a?access_token=REDACTED&b=2",
        "https://e.com/a?b=2&API_KEY=s1|https://e.com/a?b=2&API_KEY=REDACTED",
        "https://e.com/a?api%5Fkey=s1|https://e.com/a?api%5Fkey=REDACTED",
        "https://e.com/a?apikey=s1&apikey=s2|https://e.com/a?apikey=REDACTED&apikey=REDACTED",
        "https://e.com/a?apikey|https://e.com/a?apikey",
        "https://e.com/a?x=1&&apikey=s1&|https://e.com/a?x=1&&apikey=REDACTED&",
        "https://e.com/a?other=s1#frag|https://e.com/a?other=s1#frag",
        "https://user:s1@e.com/a|https://user:REDACTED@e.com/a",
        "https://user@e.com:8443/a?api_key=s1|https://user@e.com:8443/a?api_key=REDACTED",
        "https://e.com/a?access_token=s1#top|https://e.com/a?access_token=REDACTED#top",
      })
  void urlsLoseTheirSecrets(String in, String expected) {
    URI redacted = redactor.redact(URI.create(in));
    assertThat(redacted.toString()).isEqualTo(expected);
    assertThat(redactor.redact(redacted)).isEqualTo(redacted);
  }

  @Test
  void aNameIsIgnoredInAnyCaseAndOnlyWhenItIsOneOfTheNames() {
    String longName = "X-" + "Very-Long-Secret-".repeat(5) + "Header"; // 95 characters
    Redactor custom = Redactor.of(List.of("Token", longName, "Schl\u00fcssel", "\u0130d"));
    assertThat(custom.isIgnored("token")).isTrue();
    assertThat(custom.isIgnored("TOKEN")).isTrue();
    assertThat(custom.isIgnored("tokeN")).isTrue();
    assertThat(custom.isIgnored(longName.toUpperCase(java.util.Locale.ROOT))).isTrue();
    assertThat(custom.isIgnored(longName + "s")).isFalse(); // also past 63 characters
    assertThat(custom.isIgnored("SCHL\u00dcSSEL")).isTrue();
    assertThat(custom.isIgnored("schl\u00fcssel")).isTrue();
    // As the names are kept: in lower case, by Locale.ROOT ("\u0130d" becomes "i\u0307d").
    assertThat(custom.isIgnored("\u0130D")).isTrue();
    assertThat(custom.isIgnored("i\u0307d")).isTrue();
    assertThat(custom.isIgnored("id")).isFalse();
    // Names of a length that some ignored name has, and names of other lengths.
    assertThat(custom.isIgnored("Tokens")).isFalse();
    assertThat(custom.isIgnored("Tokea")).isFalse();
    assertThat(custom.isIgnored("Date")).isFalse();
    assertThat(custom.isIgnored("")).isFalse();
    assertThat(Redactor.of(List.of()).isIgnored("Authorization")).isFalse();
    for (String name : HttpCache.DEFAULT_IGNORED_PARAMETERS) {
      assertThat(redactor.isIgnored(name.toUpperCase(java.util.Locale.ROOT))).as(name).isTrue();
      assertThat(redactor.isIgnored(name + "x")).as(name).isFalse();
    }
  }

  @Test
  void headerNamesMatchInAnyCase() {
    HttpHeaders redacted =
        redactor.redact(
            headers(
                "authorization", "Bearer s1",
                "X-API-KEY", "s2",
                "x-auth-token", "s3",
                "Proxy-Authorization", "Basic s4",
                "Accept", "text/plain"));
    assertThat(redacted.allValues("Authorization")).containsExactly("REDACTED");
    assertThat(redacted.allValues("x-api-key")).containsExactly("REDACTED");
    assertThat(redacted.allValues("X-Auth-Token")).containsExactly("REDACTED");
    assertThat(redacted.allValues("proxy-authorization")).containsExactly("REDACTED");
    assertThat(redacted.allValues("Accept")).containsExactly("text/plain");
  }

  @Test
  void everyValueOfARepeatedHeaderIsRedacted() {
    HttpHeaders redacted = redactor.redact(headers("X-Access-Token", "s1", "X-Access-Token", "s2"));
    assertThat(redacted.allValues("X-Access-Token")).containsExactly("REDACTED", "REDACTED");
  }

  @Test
  void locationHeadersLoseTheirQuerySecrets() {
    HttpHeaders redacted =
        redactor.redact(
            headers(
                "Location", "/next?api_key=s1&page=2",
                "Content-Location", "https://e.com/x?access_token=s2#f"));
    assertThat(redacted.firstValue("Location")).contains("/next?api_key=REDACTED&page=2");
    assertThat(redacted.firstValue("Content-Location"))
        .contains("https://e.com/x?access_token=REDACTED#f");
  }

  @Test
  void jsonBodiesAreRedactedAtEveryDepth() {
    String json =
        "{\"access_token\":\"s1\",\"user\":{\"name\":\"n\",\"API_KEY\":\"s2\"},"
            + "\"items\":[{\"apikey\":\"s3\"},[{\"Authorization\":{\"nested\":\"s4\"}}]],"
            + "\"keep\":\"s-public\"}";
    String out = new String(redactor.redactBody(json.getBytes(UTF_8), "application/json"), UTF_8);
    assertThat(out).doesNotContain("s1", "s2", "s3", "s4").contains("\"keep\":\"s-public\"");
    assertThat(out).contains("\"access_token\":\"REDACTED\"", "\"API_KEY\":\"REDACTED\"");
  }

  @Test
  void aJsonBodyThatCannotBeParsedIsReplacedWhole() {
    byte[] out = redactor.redactBody("{\"api_key\": \"s1\"".getBytes(UTF_8), "application/json");
    assertThat(new String(out, UTF_8)).isEqualTo("REDACTED");
  }

  @Test
  void formBodiesAreRedacted() {
    byte[] out =
        redactor.redactBody(
            "a=1&Access_Token=s1&b=2".getBytes(UTF_8), "application/x-www-form-urlencoded");
    assertThat(new String(out, UTF_8)).isEqualTo("a=1&Access_Token=REDACTED&b=2");
  }

  @Test
  void otherBodiesAreLeftAsTheyAre() {
    byte[] body = "api_key=s1".getBytes(UTF_8);
    assertThat(redactor.redactBody(body, "text/plain")).isSameAs(body);
  }

  @Test
  void anEmptyListRedactsNothingButAPassword() {
    Redactor none = Redactor.of(List.of());
    assertThat(none.redact(headers("Authorization", "s1")).firstValue("Authorization"))
        .contains("s1");
    assertThat(none.redact(URI.create("https://e.com/?api_key=s1")).toString())
        .isEqualTo("https://e.com/?api_key=s1");
    assertThat(none.redact(URI.create("https://u:s1@e.com/")).toString())
        .isEqualTo("https://u:REDACTED@e.com/");
  }

  static Stream<Long> seeds() {
    return IntStream.range(0, 300).mapToObj(i -> 1000L + i);
  }

  /** Secrets in random places and spellings never survive redaction of a whole response. */
  @ParameterizedTest
  @MethodSource("seeds")
  void noSecretSurvivesARedactedResponse(long seed) {
    Random random = new Random(seed);
    List<String> secrets = new ArrayList<>();
    List<String> names = HttpCache.DEFAULT_IGNORED_PARAMETERS;
    java.util.function.Supplier<String> secret =
        () -> {
          String s = "SECRET" + Long.toHexString(random.nextLong());
          secrets.add(s);
          return s;
        };
    java.util.function.Supplier<String> name =
        () -> {
          String n = names.get(random.nextInt(names.size()));
          return random.nextBoolean() ? n.toUpperCase(java.util.Locale.ROOT) : n.toLowerCase();
        };
    String query = "q=1&" + name.get() + "=" + secret.get() + "&" + name.get() + "=" + secret.get();
    URI uri = URI.create("https://e.com/p?" + query);
    HttpHeaders requestHeaders =
        headers(name.get(), secret.get(), "Content-Type", "application/json", "Accept", "*/*");
    String json =
        "[{\""
            + name.get()
            + "\":\""
            + secret.get()
            + "\"},{\"a\":{\""
            + name.get()
            + "\":[\""
            + secret.get()
            + "\"]}}]";
    CachedRequest request = CachedRequest.of("POST", uri, requestHeaders, json.getBytes(UTF_8));
    CachedResponse response =
        CachedResponse.builder()
            .request(request)
            .uri(URI.create("https://e.com/final?" + name.get() + "=" + secret.get()))
            .headers(
                headers(
                    name.get(), secret.get(), "Location", "/x?" + name.get() + "=" + secret.get()))
            .createdAt(Instant.EPOCH)
            .build();

    CachedResponse redacted = redactor.redact(response);
    String all =
        redacted.uri()
            + " "
            + redacted.headers().map()
            + " "
            + redacted.request().uri()
            + " "
            + redacted.request().headers().map()
            + " "
            + new String(redacted.request().bodyUnsafe(), UTF_8);
    for (String s : secrets) {
      assertThat(all).doesNotContain(s);
    }
  }
}
