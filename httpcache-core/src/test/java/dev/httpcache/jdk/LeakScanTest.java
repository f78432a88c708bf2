package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.TestClock;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests carrying distinct secrets in every place a secret can travel go through the cache; then
 * every byte the storage holds (for SQLite: the database file, its WAL and its shared-memory file)
 * is searched for them. None may be found.
 */
final class LeakScanTest {
  @TempDir Path dir;
  private final Random random = new Random(20261201);
  private final List<String> secrets = new ArrayList<>();

  private String secret() {
    String s = "SECRET" + secrets.size() + "x" + Long.toHexString(random.nextLong());
    secrets.add(s);
    return s;
  }

  private static MockResponse answer(RecordedRequest r) {
    String path = r.getUrl().encodedPath();
    String query = r.getUrl().encodedQuery();
    switch (path) {
      case "/start":
        return new MockResponse.Builder()
            .code(302)
            .addHeader("Location", "/final?" + query)
            .build();
      case "/moved":
        return new MockResponse.Builder()
            .code(301)
            .addHeader("Location", "https://elsewhere.test/x?" + query)
            .build();
      case "/echo":
        // An API that echoes the token it was sent, under another spelling of the name.
        return new MockResponse.Builder()
            .addHeader("x-AUTH-token", r.getHeaders().get("X-Auth-Token"))
            .addHeader(
                "Content-Location", "/echo?access_token=" + r.getHeaders().get("X-Auth-Token"))
            .body("echo")
            .build();
      case "/etag":
        if (r.getHeaders().get("If-None-Match") != null) {
          return new MockResponse.Builder()
              .code(304)
              .addHeader("ETag", "\"e\"")
              .addHeader("X-Api-Token", r.getHeaders().get("X-Api-Token"))
              .build();
        }
        return new MockResponse.Builder().addHeader("ETag", "\"e\"").body("validated").build();
      default:
        return new MockResponse.Builder().body("ok " + path).build();
    }
  }

  private void sendEverywhere(HttpCache cache) throws Exception {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    CachedHttpClient client = CachedHttpClient.of(following, cache);
    CachedHttpClient noRedirects = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    try (Origin origin = new Origin()) {
      origin.answer(LeakScanTest::answer);
      // Query parameters, in two of their names, and headers in odd spellings.
      client.send(
          HttpRequest.newBuilder(origin.uri("/q?access_token=" + secret() + "&APIKEY=" + secret()))
              .header("authorization", "Bearer " + secret())
              .header("X-API-KEY", secret())
              .header("x-access-token", secret())
              .header("Proxy-Authorization", "Basic " + secret())
              .build(),
          BodyHandlers.ofString());
      // JSON at every depth, objects inside arrays too.
      client.send(
          HttpRequest.newBuilder(origin.uri("/graphql"))
              .header("Content-Type", "application/json")
              .POST(
                  BodyPublishers.ofString(
                      "{\"query\":\"q\",\"vars\":[{\"api_key\":\""
                          + secret()
                          + "\"},{\"deep\":{\"ACCESS_TOKEN\":\""
                          + secret()
                          + "\"}}],\"Authorization\":{\"inner\":\""
                          + secret()
                          + "\"}}"))
              .build(),
          BodyHandlers.ofString());
      // A form body.
      client.send(
          HttpRequest.newBuilder(origin.uri("/form"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(BodyPublishers.ofString("a=1&Access_Token=" + secret() + "&b=2"))
              .build(),
          BodyHandlers.ofString());
      // A redirect history: the secret is in the first URL and in the final one.
      client.send(
          HttpRequest.newBuilder(origin.uri("/start?api_key=" + secret())).build(),
          BodyHandlers.ofString());
      // A stored redirect whose Location carries the secret.
      noRedirects.send(
          HttpRequest.newBuilder(origin.uri("/moved?apikey=" + secret())).build(),
          BodyHandlers.ofString());
      // A response that echoes the token in its headers.
      client.send(
          HttpRequest.newBuilder(origin.uri("/echo")).header("X-Auth-Token", secret()).build(),
          BodyHandlers.ofString());
      // A revalidation whose 304 echoes a token.
      RequestOptions immediately =
          RequestOptions.builder().expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY).build();
      client.send(
          HttpRequest.newBuilder(origin.uri("/etag")).header("X-Api-Token", secret()).build(),
          BodyHandlers.ofString(),
          immediately);
      client.send(
          HttpRequest.newBuilder(origin.uri("/etag")).header("X-Api-Token", secret()).build(),
          BodyHandlers.ofString(),
          immediately);
      assertThat(origin.requests().stream().map(RecordedRequest::getTarget))
          .anyMatch(t -> t.startsWith("/final?api_key=SECRET"));
      assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"e\"");
    }
  }

  private HttpCache cache(Storage storage) {
    return HttpCache.builder()
        .storage(storage)
        .clock(new TestClock())
        .allowableMethods(Set.of("GET", "POST"))
        .allowableCodes(Set.of(200, 301))
        .build();
  }

  private void assertNoSecretIn(String where, String bytes) {
    assertThat(secrets).hasSize(15);
    for (String s : secrets) {
      assertThat(bytes).as("%s holds %s", where, s).doesNotContain(s);
    }
  }

  private String files(Path db) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(db.getParent())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith(db.getFileName().toString())) {
          all.append(new String(Files.readAllBytes(f), ISO_8859_1));
        }
      }
    }
    return all.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void noSecretReachesTheStorage(String kind) throws Exception {
    Path db = dir.resolve("http_cache.sqlite");
    Storage storage = kind.equals("memory") ? Storage.inMemory() : Storage.sqlite(db);
    try (HttpCache cache = cache(storage)) {
      sendEverywhere(cache);
      assertThat(storage.count(Storage.Namespace.RESPONSES)).isEqualTo(7);
      assertThat(storage.count(Storage.Namespace.REDIRECTS)).isEqualTo(1);
      String stored = StoredBytes.of(storage);
      assertThat(stored).contains("REDACTED");
      assertNoSecretIn(kind + " storage", stored);
      if (kind.equals("sqlite")) {
        assertNoSecretIn("the SQLite files while open", files(db));
      }
    }
    if (kind.equals("sqlite")) {
      assertNoSecretIn("the SQLite files after close", files(db));
    }
  }
}
