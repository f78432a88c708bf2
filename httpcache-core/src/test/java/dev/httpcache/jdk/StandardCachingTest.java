package dev.httpcache.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.TestClock;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9111 behaviour under {@code HttpCache.standard()}, against a real local origin. */
final class StandardCachingTest {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final TestClock clock = new TestClock();
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

  private HttpCache.Builder standard() {
    return HttpCache.standard().storage(storage).clock(clock);
  }

  private CachedHttpClient client(HttpCache.Builder builder) {
    return CachedHttpClient.of(HttpClient.newHttpClient(), builder.build());
  }

  private String now(Duration offset) {
    return HTTP_DATE.format(clock.instant().plus(offset));
  }

  private void answer(String... headers) {
    answer(r -> true, headers);
  }

  private void answer(Function<RecordedRequest, Boolean> always, String... headers) {
    origin.answer(
        r -> {
          MockResponse.Builder b = new MockResponse.Builder().body("v" + origin.requestCount());
          for (int i = 0; i < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
          }
          return b.build();
        });
  }

  private HttpResponse<String> get(CachedHttpClient client, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(origin.uri("/r"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private static boolean hit(HttpResponse<?> r) {
    return CachedHttpClient.metadata(r).fromCache();
  }

  @Test
  void maxAgeDecidesFreshness() throws Exception {
    answer("Cache-Control", "max-age=60");
    CachedHttpClient client = client(standard());
    get(client);
    clock.advance(Duration.ofSeconds(59));
    HttpResponse<String> fresh = get(client);
    assertThat(hit(fresh)).isTrue();
    assertThat(fresh.headers().firstValue("Age")).contains("59");
    clock.advance(Duration.ofSeconds(2));
    assertThat(hit(get(client))).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void requestsCachesModeServesTheStoredHeadersWithoutAnAge() throws Exception {
    answer("Cache-Control", "max-age=60");
    CachedHttpClient client = client(HttpCache.builder().storage(storage).clock(clock));
    get(client);
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> hit = get(client);
    assertThat(hit(hit)).isTrue();
    assertThat(hit.headers().firstValue("Age")).isEmpty();
  }

  @Test
  void theAgeHeaderOfTheOriginShortensFreshness() throws Exception {
    answer("Cache-Control", "max-age=60", "Age", "50");
    CachedHttpClient client = client(standard());
    get(client);
    clock.advance(Duration.ofSeconds(5));
    HttpResponse<String> r = get(client);
    assertThat(hit(r)).isTrue();
    assertThat(r.headers().firstValue("Age")).contains("55");
    clock.advance(Duration.ofSeconds(6));
    assertThat(hit(get(client))).isFalse();
  }

  @Test
  void expiresIsReadInEveryDateFormatAndAnInvalidOneMeansStale() throws Exception {
    String[] formats = {
      now(Duration.ofSeconds(100)),
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", java.util.Locale.US)
          .withZone(ZoneOffset.UTC)
          .format(clock.instant().plusSeconds(100)),
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US)
          .withZone(ZoneOffset.UTC)
          .format(clock.instant().plusSeconds(100)),
    };
    for (String expires : formats) {
      storage.clear();
      answer("Date", now(Duration.ZERO), "Expires", expires);
      CachedHttpClient client = client(standard());
      get(client);
      assertThat(hit(get(client))).as(expires).isTrue();
    }
    for (String invalid : List.of("0", "", "not a date")) {
      storage.clear();
      answer("Date", now(Duration.ZERO), "Expires", invalid, "ETag", "\"x\"");
      CachedHttpClient client = client(standard());
      get(client);
      assertThat(hit(get(client))).as("Expires: [%s]", invalid).isFalse();
    }
  }

  @Test
  void noStoreIsNeverStored() throws Exception {
    answer("Cache-Control", "no-store, max-age=60");
    CachedHttpClient client = client(standard());
    get(client);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    answer("Cache-Control", "max-age=60");
    get(client, "Cache-Control", "no-store");
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void heuristicFreshnessIsATenthOfTheTimeSinceLastModified() throws Exception {
    answer("Date", now(Duration.ZERO), "Last-Modified", now(Duration.ofHours(-10)));
    CachedHttpClient client = client(standard());
    get(client);
    clock.advance(Duration.ofMinutes(59));
    assertThat(hit(get(client))).isTrue();
    clock.advance(Duration.ofMinutes(2));
    HttpResponse<String> revalidating = get(client);
    assertThat(hit(revalidating)).isFalse();
    assertThat(origin.lastRequest().getHeaders().get("If-Modified-Since")).isNotNull();
  }

  @Test
  void aRevalidationBy304UpdatesTheStoredHeaders() throws Exception {
    origin.answer(
        r ->
            r.getHeaders().get("If-None-Match") != null
                ? new MockResponse.Builder()
                    .code(304)
                    .addHeader("ETag", "\"other\"")
                    .addHeader("Content-MD5", "other-digest")
                    .addHeader("Cache-Control", "max-age=100")
                    .addHeader("X-Updated", "yes")
                    .build()
                : new MockResponse.Builder()
                    .addHeader("ETag", "\"e\"")
                    .addHeader("Content-MD5", "stored-digest")
                    .addHeader("Cache-Control", "max-age=10")
                    .body("body")
                    .build());
    CachedHttpClient client = client(standard());
    get(client);
    clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> revalidated = get(client);
    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("body");
    assertThat(CachedHttpClient.metadata(revalidated).revalidated()).isTrue();
    assertThat(revalidated.headers().firstValue("X-Updated")).contains("yes");
    // What describes the stored body, and the validator that selected it, stay as stored.
    assertThat(revalidated.headers().firstValue("ETag")).contains("\"e\"");
    assertThat(revalidated.headers().firstValue("Content-MD5")).contains("stored-digest");
    clock.advance(Duration.ofSeconds(90));
    HttpResponse<String> hit = get(client);
    assertThat(hit(hit)).isTrue();
    assertThat(hit.headers().firstValue("X-Updated")).contains("yes");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void a304ThatChangesNothingWritesNothing() throws Exception {
    try (Origin quiet = new Origin(false)) {
      quiet.answer(
          r ->
              r.getHeaders().get("If-None-Match") != null
                  ? new MockResponse.Builder().code(304).addHeader("ETag", "\"e\"").build()
                  : new MockResponse.Builder().addHeader("ETag", "\"e\"").body("b").build());
      java.util.concurrent.atomic.AtomicInteger writes =
          new java.util.concurrent.atomic.AtomicInteger();
      CachedHttpClient client =
          client(
              HttpCache.builder()
                  .storage(storage)
                  .clock(clock)
                  .listener(
                      new dev.httpcache.CacheListener() {
                        @Override
                        public void onStored(String key, int bodyBytes) {
                          writes.incrementAndGet();
                        }
                      }));
      RequestOptions refresh = RequestOptions.builder().refresh(true).build();
      HttpRequest request = HttpRequest.newBuilder(quiet.uri("/n")).build();
      client.send(request, BodyHandlers.ofString());
      clock.advance(Duration.ofMinutes(1));
      HttpResponse<String> revalidated = client.send(request, BodyHandlers.ofString(), refresh);
      assertThat(CachedHttpClient.metadata(revalidated).revalidated()).isTrue();
      assertThat(quiet.requestCount()).isEqualTo(2);
      assertThat(writes).hasValue(1);
    }
  }

  @Test
  void aCallersOwnConditionalRequestIsAnsweredWith304FromAFreshEntry() throws Exception {
    answer("Cache-Control", "max-age=60", "ETag", "\"abc\"");
    CachedHttpClient client = client(standard());
    get(client);
    HttpResponse<String> notModified = get(client, "If-None-Match", "W/\"abc\"");
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(get(client, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void aSuccessfulUnsafeRequestInvalidatesAndAFailedOneDoesNot() throws Exception {
    answer("Cache-Control", "max-age=600");
    CachedHttpClient client = client(standard());
    get(client);
    origin.answer(r -> new MockResponse.Builder().code(500).build());
    client.send(
        HttpRequest.newBuilder(origin.uri("/r")).POST(BodyPublishers.ofString("x")).build(),
        BodyHandlers.ofString());
    assertThat(hit(get(client))).isTrue();
    origin.answer(r -> new MockResponse.Builder().code(204).build());
    client.send(HttpRequest.newBuilder(origin.uri("/r")).DELETE().build(), BodyHandlers.ofString());
    answer("Cache-Control", "max-age=600");
    assertThat(hit(get(client))).isFalse();
  }

  @Test
  void anUnsafeRequestInvalidatesItsSameOriginLocation() throws Exception {
    answer("Cache-Control", "max-age=600");
    CachedHttpClient client = client(standard());
    get(client);
    origin.answer(r -> new MockResponse.Builder().code(201).addHeader("Location", "/r").build());
    client.send(
        HttpRequest.newBuilder(origin.uri("/items")).POST(BodyPublishers.ofString("x")).build(),
        BodyHandlers.ofString());
    answer("Cache-Control", "max-age=600");
    assertThat(hit(get(client))).isFalse();
  }

  @Test
  void aSharedCacheFollowsSMaxAgePrivateAndTheAuthorizationRule() throws Exception {
    answer("Cache-Control", "max-age=1, s-maxage=100");
    CachedHttpClient shared = client(standard().shared(true));
    get(shared);
    clock.advance(Duration.ofSeconds(50));
    assertThat(hit(get(shared))).isTrue();

    storage.clear();
    answer("Cache-Control", "private, max-age=100");
    get(shared);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    CachedHttpClient personal = client(standard());
    get(personal);
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);

    storage.clear();
    answer("Cache-Control", "max-age=100");
    get(shared, "Authorization", "Bearer t");
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    answer("Cache-Control", "public, max-age=100");
    get(shared, "Authorization", "Bearer t");
    assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(1);
  }

  @Test
  void hopByHopHeadersAndThoseConnectionNamesAreNotStored() throws Exception {
    answer(
        "Cache-Control",
        "max-age=60",
        "Connection",
        "X-Hop",
        "X-Hop",
        "1",
        "Keep-Alive",
        "5",
        "X-Kept",
        "2");
    CachedHttpClient client = client(standard());
    get(client);
    HttpResponse<String> hit = get(client);
    assertThat(hit(hit)).isTrue();
    assertThat(hit.headers().map().keySet())
        .doesNotContain(
            "X-Hop", "x-hop", "Keep-Alive", "keep-alive", "Connection", "Proxy-Authorization");
    assertThat(hit.headers().firstValue("X-Kept")).contains("2");
  }

  @Test
  void requestDirectivesAreHonoured() throws Exception {
    answer("Cache-Control", "max-age=100", "ETag", "\"e\"");
    CachedHttpClient client = client(standard());
    get(client);
    clock.advance(Duration.ofSeconds(50));
    assertThat(hit(get(client, "Cache-Control", "max-age=60"))).isTrue();
    assertThat(hit(get(client, "Cache-Control", "max-age=10"))).isFalse();
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"e\"");
    clock.advance(Duration.ofSeconds(60));
    assertThat(hit(get(client, "Cache-Control", "min-fresh=50"))).isFalse();
    clock.advance(Duration.ofSeconds(60));
    assertThat(hit(get(client, "Cache-Control", "max-stale=30"))).isTrue();
    HttpResponse<String> offline =
        client.send(
            HttpRequest.newBuilder(origin.uri("/never-fetched"))
                .header("Cache-Control", "only-if-cached")
                .build(),
            BodyHandlers.ofString());
    assertThat(offline.statusCode()).isEqualTo(504);
    int before = origin.requestCount();
    get(client, "Pragma", "no-cache");
    assertThat(origin.requestCount()).isEqualTo(before + 1);
  }

  @Test
  void staleIfErrorAnswersWhenTheOriginFailsOrErrs() throws Exception {
    answer("Cache-Control", "max-age=10");
    CachedHttpClient client = client(standard().staleIfError(Duration.ofMinutes(5)));
    get(client);
    clock.advance(Duration.ofSeconds(30));
    origin.answer(r -> new MockResponse.Builder().code(503).body("down").build());
    HttpResponse<String> on5xx = get(client);
    assertThat(on5xx.statusCode()).isEqualTo(200);
    assertThat(on5xx.body()).isEqualTo("v1");
    assertThat(CachedHttpClient.metadata(on5xx).expired()).isTrue();
    origin.answer(
        r -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    assertThat(get(client).body()).isEqualTo("v1");
    clock.advance(Duration.ofMinutes(10));
    origin.answer(r -> new MockResponse.Builder().code(503).body("down").build());
    assertThat(get(client).statusCode()).isEqualTo(503);
  }

  @Test
  void staleIfErrorAnswersAsynchronousRequestsToo() throws Exception {
    answer("Cache-Control", "max-age=10");
    CachedHttpClient client = client(standard().staleIfError(Duration.ofMinutes(5)));
    get(client);
    clock.advance(Duration.ofSeconds(30));
    origin.answer(
        r -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    HttpResponse<String> stale =
        client
            .sendAsync(HttpRequest.newBuilder(origin.uri("/r")).build(), BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS);
    assertThat(stale.body()).isEqualTo("v1");
    assertThat(hit(stale)).isTrue();
    origin.answer(r -> new MockResponse.Builder().code(502).body("bad gateway").build());
    HttpResponse<String> on5xx =
        client
            .sendAsync(HttpRequest.newBuilder(origin.uri("/r")).build(), BodyHandlers.ofString())
            .get(10, TimeUnit.SECONDS);
    assertThat(on5xx.statusCode()).isEqualTo(200);
    assertThat(on5xx.body()).isEqualTo("v1");
  }

  @Test
  void mustRevalidateForbidsStaleAnswers() throws Exception {
    answer("Cache-Control", "max-age=10, must-revalidate");
    CachedHttpClient client = client(standard().staleIfError(Duration.ofMinutes(5)));
    get(client);
    clock.advance(Duration.ofSeconds(30));
    origin.answer(r -> new MockResponse.Builder().code(503).body("down").build());
    assertThat(get(client).statusCode()).isEqualTo(503);
  }

  @Test
  void staleWhileRevalidateServesAtOnceAndRefreshesInTheBackground() throws Exception {
    CountDownLatch stored = new CountDownLatch(2);
    answer("Cache-Control", "max-age=10, stale-while-revalidate=60");
    CachedHttpClient client =
        client(
            standard()
                .listener(
                    new dev.httpcache.CacheListener() {
                      @Override
                      public void onStored(String key, int bodyBytes) {
                        stored.countDown();
                      }
                    }));
    get(client);
    clock.advance(Duration.ofSeconds(20));
    HttpResponse<String> stale = get(client);
    assertThat(hit(stale)).isTrue();
    assertThat(stale.body()).isEqualTo("v1");
    assertThat(CachedHttpClient.metadata(stale).expired()).isTrue();
    // The background refresh stores the new response; then it is served fresh.
    assertThat(stored.await(10, TimeUnit.SECONDS)).isTrue();
    HttpResponse<String> next = get(client);
    assertThat(hit(next)).isTrue();
    assertThat(next.body()).isEqualTo("v2");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void fiftyConcurrentIdenticalMissesMakeOneOriginRequest() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .headersDelay(500, TimeUnit.MILLISECONDS)
                .addHeader("Cache-Control", "max-age=600")
                .body("slow")
                .build());
    CachedHttpClient client = client(standard());
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> get(client)));
      }
      for (Future<HttpResponse<String>> f : results) {
        assertThat(f.get().body()).isEqualTo("slow");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void concurrentIdenticalAsyncMissesAreCoalescedToo() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .headersDelay(300, TimeUnit.MILLISECONDS)
                .addHeader("Cache-Control", "max-age=600")
                .body("slow")
                .build());
    CachedHttpClient client = client(standard());
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(
          client.sendAsync(
              HttpRequest.newBuilder(origin.uri("/r")).build(), BodyHandlers.ofString()));
    }
    for (var f : all) {
      assertThat(f.get().body()).isEqualTo("slow");
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void theCallersExpirationComesBeforeTheResponseHeaders() throws Exception {
    answer("Cache-Control", "max-age=5");
    CachedHttpClient client = client(standard().urlExpireAfter("*", Duration.ofMinutes(10)));
    get(client);
    clock.advance(Duration.ofMinutes(5));
    assertThat(hit(get(client))).isTrue();
    HttpResponse<String> own =
        client.send(
            HttpRequest.newBuilder(origin.uri("/r2")).build(),
            BodyHandlers.ofString(),
            RequestOptions.expiringAfter(Duration.ofSeconds(1)));
    assertThat(CachedHttpClient.metadata(own).expires()).contains(clock.instant().plusSeconds(1));
    HttpCache plain = HttpCache.builder().storage(storage).clock(clock).build();
    assertThat(plain.expireAfter()).isEqualTo(ExpireAfter.NEVER_EXPIRE);
    assertThat(HttpCache.standard().storage(storage).build().expireAfter())
        .isEqualTo(ExpireAfter.FROM_HEADERS);
  }

  @Test
  void readOnlyNeverWritesAndAlwaysRevalidateAsksEveryTime() throws Exception {
    answer("Cache-Control", "max-age=600", "ETag", "\"e\"");
    get(client(standard().readOnly(true)));
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    CachedHttpClient always = client(standard().alwaysRevalidate(true));
    get(always);
    get(always);
    assertThat(origin.requestCount()).isEqualTo(3);
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"e\"");
  }

  @Test
  void aNoCacheResponseIsRevalidatedOnEveryUse() throws Exception {
    answer("Cache-Control", "no-cache, max-age=600", "ETag", "\"e\"");
    CachedHttpClient client = client(standard());
    get(client);
    get(client);
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getHeaders().get("If-None-Match")).isEqualTo("\"e\"");
  }

  @Test
  void statusesBeyondTheHeuristicOnesNeedExplicitFreshness() throws Exception {
    origin.answer(r -> new MockResponse.Builder().code(500).body("err").build());
    CachedHttpClient client = client(standard());
    get(client);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
    origin.answer(
        r ->
            new MockResponse.Builder()
                .code(500)
                .addHeader("Cache-Control", "max-age=60")
                .body("err")
                .build());
    get(client);
    assertThat(hit(get(client))).isTrue();
    assertThat(Instant.EPOCH).isBefore(clock.instant());
  }
}
