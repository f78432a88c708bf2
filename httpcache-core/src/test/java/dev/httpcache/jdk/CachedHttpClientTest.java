package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.TestClock;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

final class CachedHttpClientTest {
  private final TestClock clock = new TestClock();
  private final FaultLog listener = new FaultLog();
  private final List<String> events = listener.events;
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

  private CachedHttpClient client(HttpCache cache) {
    return CachedHttpClient.of(HttpClient.newHttpClient(), cache);
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).build();
  }

  private HttpResponse<String> send(CachedHttpClient client, String path)
      throws IOException, InterruptedException {
    return client.send(get(origin.uri(path)), BodyHandlers.ofString());
  }

  @Test
  void secondRequestIsServedFromTheCache() throws Exception {
    CachedHttpClient client = client(cache().build());

    HttpResponse<String> first = send(client, "/a");
    HttpResponse<String> second = send(client, "/a");

    assertThat(origin.requestCount()).isEqualTo(1);
    assertThat(CachedHttpClient.metadata(first).fromCache()).isFalse();
    assertThat(CachedHttpClient.metadata(second).fromCache()).isTrue();
    assertThat(second.body()).isEqualTo(first.body()).isEqualTo("body of /a");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("X-Serial")).hasValue("1");
    assertThat(second.request().uri()).isEqualTo(origin.uri("/a"));
    assertThat(CachedHttpClient.metadata(second).key())
        .isEqualTo(CachedHttpClient.metadata(first).key())
        .hasSize(64);
  }

  @Test
  void metadataTellsCreationAndExpiry() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(Duration.ofMinutes(5)).build());
    CacheMetadata miss = CachedHttpClient.metadata(send(client, "/a"));
    clock.advance(Duration.ofMinutes(1));
    CacheMetadata hit = CachedHttpClient.metadata(send(client, "/a"));

    assertThat(miss.createdAt()).isEqualTo(hit.createdAt());
    assertThat(hit.expires()).hasValue(miss.createdAt().plus(Duration.ofMinutes(5)));
    assertThat(miss.expires()).isEqualTo(hit.expires());
    assertThat(hit.expired()).isFalse();
    assertThat(hit.revalidated()).isFalse();
  }

  @Test
  void metadataOfAResponseFromElsewhereIsRefused() throws Exception {
    HttpResponse<String> plain =
        HttpClient.newHttpClient().send(get(origin.uri("/a")), BodyHandlers.ofString());
    assertThatThrownBy(() -> CachedHttpClient.metadata(plain))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queryParameterOrderDoesNotMatter() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/search?b=2&a=1&a=0");
    HttpResponse<String> hit = send(client, "/search?a=0&a=1&b=2");
    HttpResponse<String> other = send(client, "/search?a=0&b=2");

    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(CachedHttpClient.metadata(other).fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void aHitReportsTheCallersOwnUriHoweverItIsWritten() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/a");
    URI upperCase = URI.create("HTTP://127.0.0.1:" + origin.port() + "/a");

    HttpResponse<String> hit = client.send(get(upperCase), BodyHandlers.ofString());
    HttpResponse<String> same = send(client, "/a");

    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(hit.uri()).hasToString(upperCase.toString());
    assertThat(same.uri()).hasToString(origin.uri("/a").toString());
  }

  @Test
  void schemeAndHostCaseAndDefaultPortDoNotMatter() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/x/./y/../z");
    HttpResponse<String> hit =
        client.send(
            get(URI.create("HTTP://127.0.0.1:" + origin.port() + "/x/z")), BodyHandlers.ofString());
    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
  }

  @Test
  void expiredResponseWithoutValidatorIsFetchedAgain() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(Duration.ofSeconds(60)).build());
    send(client, "/a");
    clock.advance(Duration.ofSeconds(59));
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> refetched = send(client, "/a");

    assertThat(CachedHttpClient.metadata(refetched).fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isNull();
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isTrue();
  }

  @Test
  void neverExpireIsTheDefault() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/a");
    clock.advance(Duration.ofDays(3650));
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isTrue();
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void expireImmediatelyWithoutValidatorStoresNothing() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY).build());
    send(client, "/a");
    send(client, "/a");
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void expireImmediatelyWithValidatorRevalidatesEveryUse() throws Exception {
    origin.answer(
        r ->
            "\"v1\"".equals(r.getHeaders().get("If-None-Match"))
                ? new MockResponse.Builder()
                    .code(304)
                    .addHeader("ETag", "\"v1\"")
                    .addHeader("X-Fresh", "yes")
                    .build()
                : new MockResponse.Builder()
                    .code(200)
                    .addHeader("ETag", "\"v1\"")
                    .body("payload")
                    .build());
    CachedHttpClient client = client(cache().expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY).build());

    send(client, "/a");
    HttpResponse<String> revalidated = send(client, "/a");

    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("payload");
    assertThat(revalidated.headers().firstValue("X-Fresh")).hasValue("yes");
    CacheMetadata meta = CachedHttpClient.metadata(revalidated);
    assertThat(meta.fromCache()).isTrue();
    assertThat(meta.revalidated()).isTrue();
  }

  /**
   * After a 304, or a 5xx that stale-if-error answers with the stored response, the stored body is
   * handed to the caller's handler by the thread that called send, once the client has returned the
   * network's response: the network's body went to one of the JDK's own subscribers, which the
   * client completes without a hand-off to its executor.
   */
  @Test
  void theStoredBodyOfA304OrAStaleIfErrorReachesTheHandlerOnTheCallingThread() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean();
    origin.answer(
        r ->
            down.get()
                ? new MockResponse.Builder().code(503).body("down").build()
                : "\"v1\"".equals(r.getHeaders().get("If-None-Match"))
                    ? new MockResponse.Builder().code(304).build()
                    : new MockResponse.Builder()
                        .addHeader("ETag", "\"v1\"")
                        .body("payload")
                        .build());
    CachedHttpClient client =
        client(
            cache()
                .expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY)
                .staleIfError(Duration.ofMinutes(5))
                .build());
    List<String> threads = new CopyOnWriteArrayList<>();
    BodyHandler<String> recording =
        info -> {
          threads.add(Thread.currentThread().getName());
          return BodySubscribers.ofString(UTF_8);
        };
    client.send(get(origin.uri("/a")), recording);

    HttpResponse<String> revalidated = client.send(get(origin.uri("/a")), recording);
    down.set(true);
    HttpResponse<String> stale = client.send(get(origin.uri("/a")), recording);

    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("payload");
    assertThat(CachedHttpClient.metadata(revalidated).revalidated()).isTrue();
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("payload");
    assertThat(CachedHttpClient.metadata(stale).fromCache()).isTrue();
    assertThat(origin.requestCount()).isEqualTo(3);
    String caller = Thread.currentThread().getName();
    assertThat(threads).hasSize(3);
    assertThat(threads.subList(1, 3)).containsExactly(caller, caller);
  }

  @Test
  void aRevalidatedEntryIsUpdatedAndWrittenBackOnTheCallingThread() throws Exception {
    origin.answer(
        r ->
            "\"v1\"".equals(r.getHeaders().get("If-None-Match"))
                ? new MockResponse.Builder().code(304).addHeader("X-Version", "2").build()
                : new MockResponse.Builder()
                    .addHeader("ETag", "\"v1\"")
                    .addHeader("X-Version", "1")
                    .body("payload")
                    .build());
    List<String> threads = new CopyOnWriteArrayList<>();
    HttpCache cache =
        cache()
            .storage(new RecordingStorage(storage, threads))
            .expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY)
            .build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    threads.clear();

    HttpResponse<String> revalidated = send(client, "/a");

    assertThat(CachedHttpClient.metadata(revalidated).revalidated()).isTrue();
    assertThat(revalidated.headers().firstValue("X-Version")).hasValue("2");
    assertThat(revalidated.body()).isEqualTo("payload");
    // The read before the request and the write of the updated entry after its 304.
    assertThat(threads).hasSizeGreaterThanOrEqualTo(2);
    assertThat(threads).containsOnly(Thread.currentThread().getName());
    String key = CachedHttpClient.metadata(revalidated).key();
    assertThat(cache.entry(key).flatMap(e -> e.response()).get().headers().firstValue("X-Version"))
        .hasValue("2");
  }

  @Test
  void aHitIsJudgedAtTheTimeOfItsDecisionNotAfterTheCallersHandlerRan() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(Duration.ofSeconds(10)).build());
    send(client, "/a");
    clock.advance(Duration.ofSeconds(9));
    // The caller's handler runs before the response is wrapped; here it takes two seconds.
    BodyHandler<String> slow =
        info -> {
          clock.advance(Duration.ofSeconds(2));
          return BodySubscribers.ofString(UTF_8);
        };

    HttpResponse<String> hit = client.send(get(origin.uri("/a")), slow);

    CacheMetadata metadata = CachedHttpClient.metadata(hit);
    assertThat(metadata.fromCache()).isTrue();
    assertThat(metadata.revalidated()).isFalse();
    // Fresh when the cache decided to serve it (9 s of 10), though 11 s old by the time it is
    // wrapped.
    assertThat(metadata.expired()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(1);
    // The next request is decided after those 11 s: a miss.
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isFalse();
  }

  @Test
  void lastModifiedIsSentAsIfModifiedSince() throws Exception {
    String lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
    origin.answer(
        r ->
            r.getHeaders().get("If-Modified-Since") != null
                ? new MockResponse.Builder().code(304).build()
                : new MockResponse.Builder()
                    .addHeader("Last-Modified", lastModified)
                    .body("old")
                    .build());
    CachedHttpClient client = client(cache().expireAfter(Duration.ofSeconds(10)).build());
    send(client, "/a");
    clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> response = send(client, "/a");

    assertThat(origin.lastRequest().getHeaders().get("If-Modified-Since")).isEqualTo(lastModified);
    assertThat(response.body()).isEqualTo("old");
    assertThat(CachedHttpClient.metadata(response).expires())
        .hasValue(clock.instant().plusSeconds(10));
    // The 304 renewed the expiry: the next request is a plain hit.
    assertThat(CachedHttpClient.metadata(send(client, "/a")).revalidated()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void aChangedResponseReplacesTheStoredOne() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("ETag", "\"v2\"")
                .body("new " + r.getHeaders().get("If-None-Match"))
                .build());
    CachedHttpClient client = client(cache().expireAfter(Duration.ofSeconds(10)).build());
    send(client, "/a");
    clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> changed = send(client, "/a");
    assertThat(changed.body()).isEqualTo("new \"v2\"");
    assertThat(CachedHttpClient.metadata(changed).fromCache()).isFalse();
    assertThat(send(client, "/a").body()).isEqualTo("new \"v2\"");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void doNotCacheNeitherReadsNorWrites() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(ExpireAfter.DO_NOT_CACHE).build());
    send(client, "/a");
    send(client, "/a");
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void firstMatchingUrlPatternWins() throws Exception {
    CachedHttpClient client =
        client(
            cache()
                .expireAfter(Duration.ofHours(1))
                .urlExpireAfter("127.0.0.1:" + origin.port() + "/short", Duration.ofSeconds(10))
                .urlExpireAfter("*/short-and-more", Duration.ofDays(1))
                .urlExpireAfter("*/never", ExpireAfter.DO_NOT_CACHE)
                .build());

    assertThat(CachedHttpClient.metadata(send(client, "/short-and-more")).expires())
        .hasValue(clock.instant().plusSeconds(10));
    assertThat(CachedHttpClient.metadata(send(client, "/other")).expires())
        .hasValue(clock.instant().plus(Duration.ofHours(1)));
    send(client, "/never");
    send(client, "/never");
    assertThat(origin.requests().stream().filter(r -> r.getTarget().equals("/never"))).hasSize(2);
  }

  @Test
  void doNotCacheCatchAllMakesTheOtherPatternsAnAllowList() throws Exception {
    CachedHttpClient client =
        client(
            cache()
                .urlExpireAfter("127.0.0.1:" + origin.port() + "/api/", Duration.ofMinutes(5))
                .urlExpireAfter("*", ExpireAfter.DO_NOT_CACHE)
                .build());
    send(client, "/api/users?page=2");
    send(client, "/api/users?page=2");
    send(client, "/static/logo");
    send(client, "/static/logo");
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  @Test
  void onlyAllowableStatusCodesAreStored() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .code(r.getTarget().equals("/missing") ? 404 : 200)
                .body("x")
                .build());
    CachedHttpClient defaults = client(cache().build());
    send(defaults, "/missing");
    send(defaults, "/missing");
    assertThat(origin.requestCount()).isEqualTo(2);

    CachedHttpClient with404 = client(cache().allowableCodes(Set.of(200, 404)).build());
    send(with404, "/missing");
    HttpResponse<String> hit = send(with404, "/missing");
    assertThat(hit.statusCode()).isEqualTo(404);
    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  @Test
  void postIsNotCachedByDefault() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpRequest post =
        HttpRequest.newBuilder(origin.uri("/p")).POST(BodyPublishers.ofString("q")).build();
    client.send(post, BodyHandlers.ofString());
    client.send(post, BodyHandlers.ofString());
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getBody().utf8()).isEqualTo("q");
  }

  @Test
  void aPostThatOverridesItsMethodToGetIsCached() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpRequest tunnelled =
        HttpRequest.newBuilder(origin.uri("/search"))
            .header("X-HTTP-Method-Override", "GET")
            .POST(BodyPublishers.ofString("q=1"))
            .build();
    client.send(tunnelled, BodyHandlers.ofString());
    HttpResponse<String> again = client.send(tunnelled, BodyHandlers.ofString());
    HttpResponse<String> plainGet = send(client, "/search");

    assertThat(CachedHttpClient.metadata(again).fromCache()).isTrue();
    assertThat(CachedHttpClient.metadata(plainGet).fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.requests().get(0).getHeaders().get("X-HTTP-Method-Override"))
        .isEqualTo("GET");
  }

  @Test
  void postIsMatchedOnItsNormalizedBodyWhenAllowed() throws Exception {
    CachedHttpClient client = client(cache().allowableMethods(Set.of("GET", "post")).build());
    HttpRequest json1 =
        HttpRequest.newBuilder(origin.uri("/graphql"))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString("{\"b\": 1, \"a\": {\"y\": 2, \"x\": [3, 1]}}"))
            .build();
    HttpRequest json2 =
        HttpRequest.newBuilder(origin.uri("/graphql"))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(BodyPublishers.ofString("{\"a\":{\"x\":[3,1],\"y\":2},\"b\":1}"))
            .build();
    HttpRequest json3 =
        HttpRequest.newBuilder(origin.uri("/graphql"))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString("{\"a\":{\"x\":[1,3],\"y\":2},\"b\":1}"))
            .build();

    client.send(json1, BodyHandlers.ofString());
    HttpResponse<String> hit = client.send(json2, BodyHandlers.ofString());
    HttpResponse<String> miss = client.send(json3, BodyHandlers.ofString());

    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(CachedHttpClient.metadata(miss).fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.requests().get(0).getBody().utf8())
        .isEqualTo("{\"b\": 1, \"a\": {\"y\": 2, \"x\": [3, 1]}}");
  }

  @Test
  void formBodiesMatchWhateverTheirPairOrder() throws Exception {
    CachedHttpClient client = client(cache().allowableMethods(Set.of("POST")).build());
    for (String body : List.of("b=2&a=1", "a=1&b=2")) {
      client.send(
          HttpRequest.newBuilder(origin.uri("/form"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(BodyPublishers.ofString(body))
              .build(),
          BodyHandlers.ofString());
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamedRequestBodyReachesTheOriginWhole() throws Exception {
    CachedHttpClient client = client(cache().allowableMethods(Set.of("POST")).build());
    byte[] payload = "streamed payload".getBytes(UTF_8);
    HttpRequest post =
        HttpRequest.newBuilder(origin.uri("/upload"))
            .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(payload)))
            .build();
    client.send(post, BodyHandlers.ofString());
    assertThat(origin.lastRequest().getBody().utf8()).isEqualTo("streamed payload");
    assertThat(CachedHttpClient.metadata(client.send(post, BodyHandlers.ofString())).fromCache())
        .isTrue();
  }

  @Test
  void filterDecidesWhatIsStoredAndServed() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("X-Private", r.getTarget().equals("/private") ? "1" : "0")
                .body("x")
                .build());
    CachedHttpClient client =
        client(
            cache()
                .filter(r -> r.headers().firstValue("X-Private").orElse("0").equals("0"))
                .build());
    send(client, "/private");
    send(client, "/private");
    send(client, "/public");
    send(client, "/public");
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  @Test
  void perRequestOptionsNeverGoOntoTheWire() throws Exception {
    CachedHttpClient client = client(cache().build());
    List<RequestOptions> options =
        List.of(
            RequestOptions.SKIP_CACHE,
            RequestOptions.builder().expireAfter(Duration.ofSeconds(5)).forceRefresh(true).build(),
            RequestOptions.builder().expireAfter(ExpireAfter.DO_NOT_CACHE).refresh(true).build(),
            RequestOptions.DEFAULT);
    for (int i = 0; i < options.size(); i++) {
      HttpRequest request =
          HttpRequest.newBuilder(origin.uri("/o" + i)).header("Accept", "text/plain").build();
      client.send(request, BodyHandlers.ofString(), options.get(i));
    }
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(origin.uri("/plain")).header("Accept", "text/plain").build(),
            BodyHandlers.ofString());

    List<String> plain = headerLines(origin.lastRequest());
    assertThat(origin.requests()).hasSize(5);
    for (RecordedRequest seen : origin.requests()) {
      assertThat(headerLines(seen)).isEqualTo(plain);
    }
  }

  private static List<String> headerLines(RecordedRequest request) {
    List<String> lines = new ArrayList<>();
    request
        .getHeaders()
        .forEach(pair -> lines.add(pair.getFirst().toLowerCase() + ": " + pair.getSecond()));
    lines.sort(null);
    return lines;
  }

  @Test
  void perRequestExpirationOverridesTheSettings() throws Exception {
    CachedHttpClient client = client(cache().expireAfter(Duration.ofHours(1)).build());
    HttpResponse<String> response =
        client.send(
            get(origin.uri("/a")),
            BodyHandlers.ofString(),
            RequestOptions.expiringAfter(Duration.ofSeconds(5)));
    assertThat(CachedHttpClient.metadata(response).expires())
        .hasValue(clock.instant().plusSeconds(5));
    clock.advance(Duration.ofSeconds(6));
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isFalse();
  }

  @Test
  void skipCacheNeitherReadsNorWrites() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/a");
    HttpResponse<String> skipped =
        client.send(get(origin.uri("/a")), BodyHandlers.ofString(), RequestOptions.SKIP_CACHE);
    client.send(get(origin.uri("/b")), BodyHandlers.ofString(), RequestOptions.SKIP_CACHE);

    assertThat(CachedHttpClient.metadata(skipped).fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(3);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  void withOptionsGivesAClientWhoseRequestsAllUseThem() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpClient uncached = client.withOptions(RequestOptions.SKIP_CACHE);
    uncached.send(get(origin.uri("/a")), BodyHandlers.ofString());
    uncached.send(get(origin.uri("/a")), BodyHandlers.ofString());
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void forceRefreshFetchesAndStoresAnew() throws Exception {
    CachedHttpClient client = client(cache().build());
    send(client, "/a");
    HttpResponse<String> refreshed =
        client.send(
            get(origin.uri("/a")),
            BodyHandlers.ofString(),
            RequestOptions.builder().forceRefresh(true).build());
    HttpResponse<String> hit = send(client, "/a");

    assertThat(CachedHttpClient.metadata(refreshed).fromCache()).isFalse();
    assertThat(hit.headers().firstValue("X-Serial")).hasValue("2");
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isNull();
  }

  @Test
  void refreshRevalidatesAFreshResponseThatHasAValidator() throws Exception {
    origin.answer(
        r ->
            r.getHeaders().get("If-None-Match") != null
                ? new MockResponse.Builder().code(304).build()
                : new MockResponse.Builder().addHeader("ETag", "W/\"1\"").body("v").build());
    CachedHttpClient client = client(cache().build());
    send(client, "/a");
    HttpResponse<String> refreshed =
        client.send(
            get(origin.uri("/a")),
            BodyHandlers.ofString(),
            RequestOptions.builder().refresh(true).build());
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("W/\"1\"");
    assertThat(refreshed.body()).isEqualTo("v");
    assertThat(CachedHttpClient.metadata(refreshed).revalidated()).isTrue();
  }

  @Test
  void onlyIfCachedAnswers504WithoutTheNetwork() throws Exception {
    CachedHttpClient client = client(cache().build());
    RequestOptions offline = RequestOptions.builder().onlyIfCached(true).build();
    HttpResponse<String> unsatisfied =
        client.send(get(origin.uri("/a")), BodyHandlers.ofString(), offline);
    assertThat(unsatisfied.statusCode()).isEqualTo(504);
    assertThat(origin.requestCount()).isZero();

    send(client, "/a");
    HttpResponse<String> hit = client.send(get(origin.uri("/a")), BodyHandlers.ofString(), offline);
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void everyBodyHandlerReceivesTheCachedBody(@TempDir Path dir) throws Exception {
    String text = "line one\nline two\n" + "x".repeat(5000);
    origin.answer(r -> new MockResponse.Builder().body(text).build());
    CachedHttpClient client = client(cache().build());
    HttpRequest request = get(origin.uri("/body"));
    client.send(request, BodyHandlers.discarding());

    assertThat(client.send(request, BodyHandlers.ofString()).body()).isEqualTo(text);
    assertThat(client.send(request, BodyHandlers.ofByteArray()).body())
        .isEqualTo(text.getBytes(UTF_8));
    try (InputStream in = client.send(request, BodyHandlers.ofInputStream()).body()) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(text);
    }
    Path file = client.send(request, BodyHandlers.ofFile(dir.resolve("out.txt"))).body();
    assertThat(Files.readString(file)).isEqualTo(text);
    assertThat(client.send(request, BodyHandlers.ofLines()).body().collect(Collectors.toList()))
        .containsExactly("line one", "line two", "x".repeat(5000));
    assertThat(client.send(request, BodyHandlers.replacing("r")).body()).isEqualTo("r");
    assertThat(client.send(request, BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void aBodyReadAsAStreamIsStoredOnceReadWhole() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpResponse<InputStream> streamed =
        client.send(get(origin.uri("/s")), BodyHandlers.ofInputStream());
    try (InputStream in = streamed.body()) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("body of /s");
    }
    assertThat(CachedHttpClient.metadata(send(client, "/s")).fromCache()).isTrue();
  }

  /**
   * The JDK's client completes a body on its executor, a hand-off to another thread, unless the
   * subscriber is one of its own. A miss read through one of the JDK's handlers that collect the
   * whole body is stored and delivered without that hand-off: the copy for the cache rides in one
   * of the JDK's own adapters. The hand-off is seen as a task of the JDK's {@code
   * ResponseSubscribers} on the client's executor; a subscriber of the caller's own shows that the
   * count sees it.
   */
  @Test
  void aMissReadWholeByTheJdksHandlersIsStoredWithoutAHandOffToTheClientsExecutor(@TempDir Path dir)
      throws Exception {
    List<String> tasks = new CopyOnWriteArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    try {
      HttpClient counted =
          HttpClient.newBuilder()
              .executor(
                  task -> {
                    tasks.add(task.getClass().getName());
                    pool.execute(task);
                  })
              .build();
      CachedHttpClient client = CachedHttpClient.of(counted, cache().build());
      List<String> stored = new ArrayList<>();
      java.util.function.BiConsumer<String, BodyHandler<?>> miss =
          (path, handler) -> {
            tasks.clear();
            try {
              HttpResponse<?> response = client.send(get(origin.uri(path)), handler);
              assertThat(CachedHttpClient.metadata(response).fromCache()).as(path).isFalse();
            } catch (IOException | InterruptedException e) {
              throw new AssertionError(path, e);
            }
            assertThat(tasks)
                .as(path + ": body completions handed to the executor")
                .noneMatch(name -> name.startsWith("jdk.internal.net.http.ResponseSubscribers"));
            stored.add(path);
          };
      List<byte[]> chunks = new CopyOnWriteArrayList<>();
      miss.accept("/string", BodyHandlers.ofString());
      miss.accept("/bytes", BodyHandlers.ofByteArray());
      miss.accept("/file", BodyHandlers.ofFile(dir.resolve("file.txt")));
      miss.accept("/consumer", BodyHandlers.ofByteArrayConsumer(b -> b.ifPresent(chunks::add)));
      miss.accept("/discarding", BodyHandlers.discarding());
      miss.accept("/replacing", BodyHandlers.replacing("r"));
      assertThat(Files.readString(dir.resolve("file.txt"))).isEqualTo("body of /file");
      assertThat(chunks.stream().mapToInt(b -> b.length).sum())
          .isEqualTo("body of /consumer".length());

      // Each was stored whole, before send returned: the next request is a hit with the body.
      for (String path : stored) {
        HttpResponse<String> hit = send(client, path);
        assertThat(CachedHttpClient.metadata(hit).fromCache()).as(path).isTrue();
        assertThat(hit.body()).isEqualTo("body of " + path);
      }
      assertThat(origin.requestCount()).isEqualTo(stored.size());

      // A subscriber of the caller's own is completed on the executor, and is stored too.
      tasks.clear();
      BodyHandler<String> own =
          info -> {
            BodySubscriber<String> inner = BodySubscribers.ofString(UTF_8);
            return new BodySubscriber<>() {
              @Override
              public java.util.concurrent.CompletionStage<String> getBody() {
                return inner.getBody();
              }

              @Override
              public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                inner.onSubscribe(subscription);
              }

              @Override
              public void onNext(List<java.nio.ByteBuffer> item) {
                inner.onNext(item);
              }

              @Override
              public void onError(Throwable throwable) {
                inner.onError(throwable);
              }

              @Override
              public void onComplete() {
                inner.onComplete();
              }
            };
          };
      assertThat(client.send(get(origin.uri("/own")), own).body()).isEqualTo("body of /own");
      assertThat(tasks)
          .anyMatch(name -> name.startsWith("jdk.internal.net.http.ResponseSubscribers"));
      assertThat(CachedHttpClient.metadata(send(client, "/own")).fromCache()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A handler's failure reaches the caller as it would without the cache, and nothing is stored: a
   * file that cannot be opened (the JDK's subscriber fails its body and cancels, with no onError),
   * and a consumer that throws.
   */
  @Test
  @Timeout(30) // a failure that is not passed on leaves send waiting forever
  void aHandlerThatFailsFailsAsWithoutTheCache(@TempDir Path dir) throws Exception {
    CachedHttpClient client = client(cache().build());
    List<BodyHandler<?>> failing =
        List.of(
            BodyHandlers.ofFile(dir.resolve("missing").resolve("out.txt")),
            BodyHandlers.ofByteArrayConsumer(
                bytes -> {
                  throw new IllegalStateException("the consumer is full");
                }));
    HttpClient plain = HttpClient.newHttpClient();
    for (BodyHandler<?> handler : failing) {
      Throwable withoutCache;
      try {
        plain.send(get(origin.uri("/f")), handler);
        throw new AssertionError("the plain client did not fail");
      } catch (IOException | RuntimeException e) {
        withoutCache = e;
      }
      Class<? extends Throwable> expected = withoutCache.getClass();
      String message = withoutCache.getMessage();

      assertThatThrownBy(() -> client.send(get(origin.uri("/f")), handler))
          .isInstanceOf(expected)
          .hasMessage(message);
    }
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void aBodyOverTheLimitIsDeliveredWholeAndNotStored() throws Exception {
    String big = "y".repeat(10_000);
    origin.answer(r -> new MockResponse.Builder().body(big).build());
    CachedHttpClient client = client(cache().maxBodySize(9_999).build());
    assertThat(send(client, "/big").body()).isEqualTo(big);
    assertThat(send(client, "/big").body()).isEqualTo(big);
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void aChunkedBodyOverTheLimitIsDeliveredWholeAndNotStored() throws Exception {
    String big = "z".repeat(10_000);
    origin.answer(r -> new MockResponse.Builder().chunkedBody(big, 1000).build());
    CachedHttpClient client = client(cache().maxBodySize(5_000).build());
    assertThat(send(client, "/big").body()).isEqualTo(big);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void sendAsyncCachesToo() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpResponse<String> first =
        client.sendAsync(get(origin.uri("/a")), BodyHandlers.ofString()).get();
    HttpResponse<String> second =
        client.sendAsync(get(origin.uri("/a")), BodyHandlers.ofString()).get();
    assertThat(CachedHttpClient.metadata(first).fromCache()).isFalse();
    assertThat(CachedHttpClient.metadata(second).fromCache()).isTrue();
    assertThat(second.body()).isEqualTo("body of /a");
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void sendAsyncTouchesTheStorageOffTheCallersThread() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    Storage recording = new RecordingStorage(storage, threads);
    CachedHttpClient client = client(cache().storage(recording).build());
    client.sendAsync(get(origin.uri("/a")), BodyHandlers.ofString()).get();
    client.sendAsync(get(origin.uri("/a")), BodyHandlers.ofString()).get();
    assertThat(threads).isNotEmpty().doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void anUndecodableEntryIsAMissAndIsReplaced() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    String key = CachedHttpClient.metadata(send(client, "/a")).key();
    storage.put(Namespace.RESPONSES, key, "exploit!".getBytes(UTF_8), null);

    HttpResponse<String> response = send(client, "/a");

    assertThat(response.body()).isEqualTo("body of /a");
    assertThat(CachedHttpClient.metadata(response).fromCache()).isFalse();
    assertThat(events).containsExactly("undecodable " + key);
    assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isTrue();
  }

  @Test
  void aFailingStorageFailsOpenToTheNetwork() throws Exception {
    CachedHttpClient client = client(cache().storage(new BrokenStorage()).build());
    assertThat(send(client, "/a").body()).isEqualTo("body of /a");
    assertThat(send(client, "/a").body()).isEqualTo("body of /a");
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(events).contains("fault read", "fault write");
  }

  @Test
  void aRedirectedResponseIsStoredWithItsFinalUrlAndAliased() throws Exception {
    origin.answer(
        r ->
            r.getTarget().equals("/old")
                ? new MockResponse.Builder().code(301).addHeader("Location", "/new").build()
                : new MockResponse.Builder().body("moved here").build());
    CachedHttpClient client =
        CachedHttpClient.of(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
            cache().build());

    HttpResponse<String> first = send(client, "/old");
    HttpResponse<String> again = send(client, "/old");
    HttpResponse<String> target = send(client, "/new");

    assertThat(first.body()).isEqualTo("moved here");
    assertThat(again.uri()).isEqualTo(origin.uri("/new"));
    assertThat(CachedHttpClient.metadata(again).fromCache()).isTrue();
    assertThat(CachedHttpClient.metadata(target).fromCache()).isTrue();
    assertThat(target.body()).isEqualTo("moved here");
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(storage.count(Namespace.REDIRECTS)).isEqualTo(1);
  }

  @Test
  void hitsWithinOneSecondShareTheirServedHeadersAndALaterHitGetsItsOwnAge() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("Cache-Control", "max-age=60")
                .body("body of " + r.getTarget())
                .build());
    CachedHttpClient client = client(cache().cacheControl(true).build());
    send(client, "/a");
    clock.advance(Duration.ofSeconds(5));

    HttpResponse<String> first = send(client, "/a");
    HttpResponse<String> second = send(client, "/a");
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> later = send(client, "/a");

    assertThat(CachedHttpClient.metadata(second).fromCache()).isTrue();
    assertThat(first.headers().firstValue("Age")).hasValue("5");
    assertThat(second.headers()).isSameAs(first.headers());
    assertThat(later.headers().firstValue("Age")).hasValue("6");
    assertThat(later.headers().firstValue("Cache-Control")).hasValue("max-age=60");
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void headRequestsAreCachedApartFromGet() throws Exception {
    CachedHttpClient client = client(cache().build());
    HttpRequest head =
        HttpRequest.newBuilder(origin.uri("/a")).method("HEAD", BodyPublishers.noBody()).build();
    client.send(head, BodyHandlers.discarding());
    HttpResponse<Void> hit = client.send(head, BodyHandlers.discarding());
    send(client, "/a");
    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void manyThreadsGetTheRightBodies() throws Exception {
    CachedHttpClient client = client(cache().build());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String path = "/item/" + (i % 20);
        results.add(pool.submit(() -> send(client, path).body().equals("body of " + path)));
      }
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(20);
    assertThat(origin.requestCount()).isBetween(20, 400);
  }
}
