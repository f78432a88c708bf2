package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.CacheListener;
import dev.httpcache.HttpCache;
import dev.httpcache.TestClock;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request matching, Vary and auth-gated content, through CachedHttpClient and a real origin. */
final class MatchingTest {
  private final TestClock clock = new TestClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CacheListener listener =
      new CacheListener() {
        @Override
        public void onRefused(String key) {
          events.add("refused");
        }

        @Override
        public void onHit(String key) {
          events.add("hit");
        }
      };
  private Origin origin;
  private Storage storage;

  @BeforeEach
  void start() throws IOException {
    origin = new Origin();
    storage = Storage.inMemory();
  }

  @AfterEach
  void stop() throws IOException {
    origin.close();
    storage.close();
  }

  private HttpCache.Builder cache() {
    return HttpCache.builder().storage(storage).clock(clock).listener(listener);
  }

  private static CachedHttpClient client(HttpCache cache) {
    return CachedHttpClient.of(HttpClient.newHttpClient(), cache);
  }

  private HttpResponse<String> send(CachedHttpClient client, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(origin.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private static boolean hit(HttpResponse<?> response) {
    return CachedHttpClient.metadata(response).fromCache();
  }

  /** The origin answers with the request's value of {@code header}, and {@code Vary} on it. */
  private void varyOn(String header, String... extra) {
    origin.answer(
        r -> {
          MockResponse.Builder b =
              new MockResponse.Builder()
                  .addHeader("Vary", header)
                  .body("for " + r.getHeaders().get(header));
          for (int i = 0; i < extra.length; i += 2) {
            b.addHeader(extra[i], extra[i + 1]);
          }
          return b.build();
        });
  }

  @Test
  void alternatingVariantsEachSettleIntoHitsAfterOneMiss() throws Exception {
    varyOn("Accept-Language");
    CachedHttpClient client = client(cache().build());
    List<String> bodies = new ArrayList<>();
    List<Boolean> hits = new ArrayList<>();
    for (String lang : List.of("en", "fr", "en", "fr", "de", "en", "fr", "de")) {
      HttpResponse<String> r = send(client, "/page", "Accept-Language", lang);
      bodies.add(r.body());
      hits.add(hit(r));
    }
    assertThat(bodies)
        .containsExactly(
            "for en", "for fr", "for en", "for fr", "for de", "for en", "for fr", "for de");
    assertThat(hits).containsExactly(false, false, true, true, false, true, true, true);
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  /**
   * RFC 9111 section 4.4: a successful unsafe request invalidates every stored response of its URL,
   * the other variants of a response that varies too. They live under keys of their own, which
   * become reachable again once a new response is stored under the URL's key; they must not answer
   * then with what the unsafe request changed.
   */
  @Test
  void anUnsafeRequestInvalidatesEveryVariantOfItsUrl() throws Exception {
    java.util.concurrent.atomic.AtomicInteger version =
        new java.util.concurrent.atomic.AtomicInteger(1);
    origin.answer(
        r -> {
          if (!r.getMethod().equals("GET")) {
            version.incrementAndGet();
            return new MockResponse.Builder().code(204).build();
          }
          return new MockResponse.Builder()
              .addHeader("Vary", "Accept-Language")
              .addHeader(
                  "ETag", "\"" + r.getHeaders().get("Accept-Language") + version.get() + "\"")
              .body(r.getHeaders().get("Accept-Language") + " v" + version.get())
              .build();
        });
    CachedHttpClient client = client(cache().build());
    assertThat(send(client, "/page", "Accept-Language", "en").body()).isEqualTo("en v1");
    assertThat(send(client, "/page", "Accept-Language", "fr").body()).isEqualTo("fr v1");
    assertThat(hit(send(client, "/page", "Accept-Language", "fr"))).isTrue();
    clock.advance(Duration.ofSeconds(1));

    client.send(
        HttpRequest.newBuilder(origin.uri("/page")).DELETE().build(), BodyHandlers.ofString());
    clock.advance(Duration.ofSeconds(1));

    assertThat(send(client, "/page", "Accept-Language", "en").body()).isEqualTo("en v2");
    HttpResponse<String> fr = send(client, "/page", "Accept-Language", "fr");
    assertThat(fr.body()).as("the French variant after the DELETE").isEqualTo("fr v2");
    // Revalidated (the stored variant's ETag no longer matches), then a plain hit again.
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"fr1\"");
    assertThat(hit(send(client, "/page", "Accept-Language", "fr"))).isTrue();
    assertThat(hit(send(client, "/page", "Accept-Language", "en"))).isTrue();
  }

  @Test
  void aVariantIsMatchedOnItsValuesInNormalForm() throws Exception {
    varyOn("Accept");
    CachedHttpClient client = client(cache().build());
    send(client, "/page", "Accept", "text/html, application/json");
    assertThat(hit(send(client, "/page", "Accept", "application/json,text/html"))).isTrue();
    assertThat(hit(send(client, "/page"))).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void languageTagsInAVariantAreComparedInAnyCase() throws Exception {
    varyOn("Accept-Language");
    CachedHttpClient client = client(cache().build());
    send(client, "/page", "Accept-Language", "en-US, fr");
    assertThat(hit(send(client, "/page", "Accept-Language", "FR,en-us"))).isTrue();
  }

  @Test
  void varyStarIsNeverServed() throws Exception {
    varyOn("*");
    CachedHttpClient client = client(cache().build());
    send(client, "/page");
    assertThat(hit(send(client, "/page"))).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void varyCookieComparesCookiesWhateverTheirOrder() throws Exception {
    varyOn("Cookie");
    CachedHttpClient client = client(cache().build());
    send(client, "/page", "Cookie", "a=1; b=2");
    assertThat(hit(send(client, "/page", "Cookie", "b=2;a=1"))).isTrue();
    HttpResponse<String> other = send(client, "/page", "Cookie", "a=1; b=3");
    assertThat(hit(other)).isFalse();
    assertThat(other.body()).isEqualTo("for a=1; b=3");
  }

  @Test
  void aResponseThatVariesOnASecretTheRequestCarriedIsNeverStored() throws Exception {
    varyOn("Authorization", "ETag", "\"v1\"");
    CachedHttpClient client = client(cache().build());
    HttpResponse<String> alice = send(client, "/me", "Authorization", "Bearer alice");
    HttpResponse<String> again = send(client, "/me", "Authorization", "Bearer alice");
    assertThat(alice.body()).isEqualTo("for Bearer alice");
    assertThat(hit(again)).isFalse();
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    assertThat(events).containsExactly("refused", "refused");
  }

  /**
   * requests-cache's hole: a stale entry with an ETag sent its validator on another user's request,
   * and a 304 handed the first entry's body to that user. Here a refused entry is a miss in full.
   */
  @Test
  void aRefusedEntryNeverLendsItsValidatorsToAnotherUsersRequest() throws Exception {
    origin.answer(
        r -> {
          String auth = r.getHeaders().get("Authorization");
          if (r.getHeaders().get("If-None-Match") != null) {
            return new MockResponse.Builder().code(304).addHeader("ETag", "\"v1\"").build();
          }
          return new MockResponse.Builder()
              .addHeader("Vary", "Authorization")
              .addHeader("ETag", "\"v1\"")
              .body(auth == null ? "public page" : "private page of " + auth)
              .build();
        });
    // The public entry is stored, expired at once and kept for its validator.
    CachedHttpClient client = client(cache().expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY).build());
    assertThat(send(client, "/page").body()).isEqualTo("public page");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);

    HttpResponse<String> bob = send(client, "/page", "Authorization", "Bearer bob");

    assertThat(bob.body()).isEqualTo("private page of Bearer bob");
    assertThat(hit(bob)).isFalse();
    RecordedRequest seen = origin.lastRequest();
    assertThat(seen.getHeaders().get("If-None-Match")).isNull();
    assertThat(seen.getHeaders().get("If-Modified-Since")).isNull();
    assertThat(events).contains("refused");
    // The anonymous user still revalidates the public entry.
    HttpResponse<String> anonymous = send(client, "/page");
    assertThat(anonymous.body()).isEqualTo("public page");
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
  }

  @Test
  void onlyIfCachedAnswers504ForARefusedEntryWithoutTheNetwork() throws Exception {
    varyOn("Authorization");
    CachedHttpClient client = client(cache().build());
    send(client, "/page");
    HttpResponse<String> offline =
        client.send(
            HttpRequest.newBuilder(origin.uri("/page")).header("Authorization", "Bearer x").build(),
            BodyHandlers.ofString(),
            dev.httpcache.RequestOptions.builder().onlyIfCached(true).build());
    assertThat(offline.statusCode()).isEqualTo(504);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  /** Recipe: a cache per user, without storing any token. */
  @Test
  void matchingOnAuthorizationGivesEachUserTheirOwnEntry() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("Vary", "Authorization")
                .body("private page of user " + r.getHeaders().get("Authorization").length())
                .build());
    CachedHttpClient client = client(cache().matchHeaders("Authorization").build());
    for (int round = 0; round < 2; round++) {
      for (String user : List.of("alice", "bob")) {
        HttpResponse<String> r = send(client, "/me", "Authorization", "Bearer " + user);
        assertThat(r.body()).isEqualTo("private page of user " + ("Bearer " + user).length());
        assertThat(hit(r)).isEqualTo(round == 1);
      }
    }
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(StoredBytes.of(storage)).doesNotContain("alice").doesNotContain("bob");
  }

  /** Recipe: the same per-user cache survives a restart when the key secret is set. */
  @Test
  void aKeySecretKeepsPerUserEntriesAcrossCaches() throws Exception {
    byte[] secret = "a key secret of at least 16 bytes".getBytes(UTF_8);
    HttpCache first = cache().matchHeaders("Authorization").keySecret(secret).build();
    send(client(first), "/me", "Authorization", "Bearer alice");
    HttpCache second = cache().matchHeaders("Authorization").keySecret(secret).build();
    assertThat(hit(send(client(second), "/me", "Authorization", "Bearer alice"))).isTrue();
    HttpCache randomSecret = cache().matchHeaders("Authorization").build();
    assertThat(hit(send(client(randomSecret), "/me", "Authorization", "Bearer alice"))).isFalse();
  }

  /** Recipe: leave authenticated requests out of the cache with a filter. */
  @Test
  void aFilterCanLeaveAuthenticatedRequestsOut() throws Exception {
    CachedHttpClient client =
        client(
            cache()
                .filter(r -> r.request().headers().firstValue("Authorization").isEmpty())
                .build());
    send(client, "/page", "Authorization", "Bearer alice");
    assertThat(hit(send(client, "/page", "Authorization", "Bearer alice"))).isFalse();
    send(client, "/page");
    assertThat(hit(send(client, "/page"))).isTrue();
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  /** Recipe: requests-cache's way: match on the token and store it, for a secured storage. */
  @Test
  void matchingOnAuthorizationWithoutRedactionStoresTheToken() throws Exception {
    CachedHttpClient client =
        client(cache().matchHeaders("Authorization").ignoredParameters(List.of()).build());
    send(client, "/me", "Authorization", "Bearer alice");
    assertThat(hit(send(client, "/me", "Authorization", "Bearer alice"))).isTrue();
    assertThat(hit(send(client, "/me", "Authorization", "Bearer bob"))).isFalse();
    assertThat(StoredBytes.of(storage)).contains("Bearer alice");
  }

  @Test
  void anIgnoredParameterCountsOnlyByItsPresence() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/data?api_key=one&q=1");
    assertThat(hit(send(client, "/data?q=1&api_key=two"))).isTrue();
    assertThat(hit(send(client, "/data?q=1"))).isFalse();
    assertThat(origin.requests().get(0).getTarget()).isEqualTo("/data?api_key=one&q=1");
  }

  @Test
  void secretsGoOntoTheWireUnchanged() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/data?access_token=tok1", "X-API-Key", "key1", "Authorization", "Basic abc");
    RecordedRequest seen = origin.lastRequest();
    assertThat(seen.getTarget()).isEqualTo("/data?access_token=tok1");
    assertThat(seen.getHeaders().get("X-API-Key")).isEqualTo("key1");
    assertThat(seen.getHeaders().get("Authorization")).isEqualTo("Basic abc");
  }

  @Test
  void aHitReportsTheCallersOwnUrl() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/data?access_token=tok1");
    HttpResponse<String> hit = send(client, "/data?access_token=tok1");
    assertThat(hit(hit)).isTrue();
    assertThat(hit.uri()).isEqualTo(origin.uri("/data?access_token=tok1"));
  }

  @Test
  void addedIgnoredParametersAreRedactedBesideTheDefaults() throws Exception {
    CachedHttpClient client = client(cache().addIgnoredParameters("X-Session").build());
    send(client, "/a", "X-Session", "session-secret", "X-Auth-Token", "token-secret");
    assertThat(StoredBytes.of(storage))
        .doesNotContain("session-secret")
        .doesNotContain("token-secret")
        .contains("REDACTED");
  }

  @Test
  void aKeyFunctionCanWrapTheDefaultKey() throws Exception {
    HttpCache cache =
        cache()
            .keyFunction(
                (request, defaultKey) ->
                    request.headers().firstValue("X-Tenant").orElse("none")
                        + "-"
                        + defaultKey.apply(request))
            .build();
    CachedHttpClient client = client(cache);
    HttpResponse<String> acme = send(client, "/a", "X-Tenant", "acme");
    assertThat(CachedHttpClient.metadata(acme).key()).startsWith("acme-");
    assertThat(hit(send(client, "/a", "X-Tenant", "acme"))).isTrue();
    assertThat(hit(send(client, "/a", "X-Tenant", "globex"))).isFalse();
  }

  @Test
  void aKeyFunctionThatFailsMakesTheCacheStepAside() throws Exception {
    HttpCache cache =
        cache()
            .keyFunction(
                (request, defaultKey) -> {
                  throw new IllegalStateException("broken");
                })
            .build();
    CachedHttpClient client = client(cache);
    assertThat(send(client, "/a").body()).isEqualTo("body of /a");
    assertThat(send(client, "/a").statusCode()).isEqualTo(200);
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void containsTellsWhetherARequestUrlOrKeyIsHeld() throws Exception {
    varyOn("Accept");
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    URI uri = origin.uri("/held?api_key=one");
    String key = CachedHttpClient.metadata(send(client, "/held?api_key=one")).key();

    assertThat(cache.contains(uri)).isTrue();
    assertThat(cache.contains(origin.uri("/held?api_key=two"))).isTrue();
    assertThat(cache.contains(origin.uri("/held"))).isFalse();
    assertThat(cache.containsKey(key)).isTrue();
    assertThat(cache.containsKey("0".repeat(64))).isFalse();
    CachedRequest json =
        CachedRequest.of(
            "GET",
            uri,
            CachedRequest.headers(java.util.Map.of("Accept", List.of("application/json"))),
            new byte[0]);
    assertThat(cache.contains(json)).isFalse();
    clock.advance(Duration.ofDays(400));
    assertThat(cache.contains(uri)).isTrue();
  }
}
