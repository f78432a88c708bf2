package dev.httpcache.scenarios;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheListener;
import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.codec.Codec;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scenarios every adapter passes, against a real local origin and the memory storage, with a
 * clock the scenarios advance. An adapter's test extends this class and implements {@link
 * #client(HttpCache)} and {@link #plainClient()}; each scenario then runs through that adapter.
 *
 * <p>Every client a scenario makes follows redirects, as OkHttp does by default; the JDK client is
 * built with {@code Redirect.NORMAL} to match.
 */
public abstract class CacheScenarios {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final ScenarioClock clock = new ScenarioClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<ScenarioClient> clients = new ArrayList<>();
  private ScenarioOrigin origin;
  private Storage storage;

  /**
   * Returns a client of the adapter's library that caches in {@code cache} and follows redirects;
   * the scenario closes it.
   */
  protected abstract ScenarioClient client(HttpCache cache);

  /**
   * Returns a client of the same library, configured alike, without the cache: the scenarios
   * compare what reaches the origin through both. Its replies carry no metadata.
   */
  protected abstract ScenarioClient plainClient();

  /** Starts the origin and opens an empty memory storage. */
  @BeforeEach
  public void startOrigin() throws IOException {
    origin = new ScenarioOrigin();
    storage = Storage.inMemory();
  }

  /** Closes the clients the scenario made, the origin and the storage. */
  @AfterEach
  public void stopOrigin() throws Exception {
    for (ScenarioClient c : clients) {
      c.close();
    }
    origin.close();
    storage.close();
  }

  // ---- helpers ----

  private HttpCache.Builder cache() {
    return HttpCache.builder().storage(storage).clock(clock).listener(listener());
  }

  private HttpCache.Builder standard() {
    return HttpCache.standard().storage(storage).clock(clock).listener(listener());
  }

  private CacheListener listener() {
    return new CacheListener() {
      @Override
      public void onStored(String key, int bodyBytes) {
        events.add("stored");
      }

      @Override
      public void onRefused(String key) {
        events.add("refused");
      }

      @Override
      public void onUndecodable(String key, IOException error) {
        events.add("undecodable " + key);
      }
    };
  }

  private ScenarioClient over(HttpCache.Builder builder) {
    return over(builder.build());
  }

  private ScenarioClient over(HttpCache cache) {
    ScenarioClient c = client(cache);
    clients.add(c);
    return c;
  }

  private Reply get(ScenarioClient client, String path, String... headers) throws Exception {
    return send(client, "GET", path, new byte[0], RequestOptions.DEFAULT, headers);
  }

  private Reply get(ScenarioClient client, String path, RequestOptions options, String... headers)
      throws Exception {
    return send(client, "GET", path, new byte[0], options, headers);
  }

  private Reply send(
      ScenarioClient client,
      String method,
      String path,
      byte[] body,
      RequestOptions options,
      String... headers)
      throws Exception {
    return client.send(method, origin.uri(path), headers(headers), body, options);
  }

  private static Map<String, List<String>> headers(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], n -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private String now(Duration offset) {
    return HTTP_DATE.format(clock.instant().plus(offset));
  }

  /** The origin answers "v" and its request count, with these headers. */
  private void answer(String... headers) {
    origin.answer(
        r -> {
          MockResponse.Builder b = new MockResponse.Builder().body("v" + origin.requestCount());
          for (int i = 0; i < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
          }
          return b.build();
        });
  }

  private long stored() throws IOException {
    return storage.count(Namespace.RESPONSES);
  }

  // ---- hits and misses ----

  /** A repeated GET is answered by the cache; the origin sees one request. */
  @Test
  public void theSecondRequestIsAHitAndTheOriginSeesOne() throws Exception {
    ScenarioClient client = over(cache());

    Reply first = get(client, "/a");
    Reply second = get(client, "/a");

    assertThat(origin.requestCount()).isEqualTo(1);
    assertThat(first.fromCache()).isFalse();
    assertThat(second.fromCache()).isTrue();
    assertThat(second.text()).isEqualTo(first.text()).isEqualTo("body of /a");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("X-Serial")).hasValue("1");
    assertThat(second.metadata().key()).isEqualTo(first.metadata().key()).hasSize(64);
  }

  /** The metadata tells when a response was created and when it expires. */
  @Test
  public void metadataTellsCreationAndExpiry() throws Exception {
    ScenarioClient client = over(cache().expireAfter(Duration.ofMinutes(5)));
    CacheMetadata miss = get(client, "/a").metadata();
    clock.advance(Duration.ofMinutes(1));
    CacheMetadata hit = get(client, "/a").metadata();

    assertThat(miss.createdAt()).isEqualTo(hit.createdAt());
    assertThat(hit.expires()).hasValue(miss.createdAt().plus(Duration.ofMinutes(5)));
    assertThat(miss.expires()).isEqualTo(hit.expires());
    assertThat(hit.expired()).isFalse();
    assertThat(hit.revalidated()).isFalse();
  }

  /** Query parameters are matched whatever their order, not whatever their values. */
  @Test
  public void queryParameterOrderDoesNotMatter() throws Exception {
    ScenarioClient client = over(cache());
    get(client, "/search?b=2&a=1&a=0");
    Reply hit = get(client, "/search?a=0&a=1&b=2");
    Reply other = get(client, "/search?a=0&b=2");

    assertThat(hit.fromCache()).isTrue();
    assertThat(other.fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  // ---- expiration ----

  static Stream<Arguments> expirations() {
    return Stream.of(
        Arguments.of("never expire", ExpireAfter.NEVER_EXPIRE, Duration.ofDays(3650), true, 1L),
        Arguments.of(
            "60 s, 59 s later", ExpireAfter.of(Duration.ofSeconds(60)), seconds(59), true, 1L),
        Arguments.of(
            "60 s, 60 s later", ExpireAfter.of(Duration.ofSeconds(60)), seconds(60), false, 1L),
        Arguments.of("expire immediately", ExpireAfter.EXPIRE_IMMEDIATELY, seconds(0), false, 0L),
        Arguments.of("do not cache", ExpireAfter.DO_NOT_CACHE, seconds(0), false, 0L));
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  /** The expiration setting decides whether a later request is a hit, and what is stored. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("expirations")
  public void theExpirationSettingDecidesHits(
      String name, ExpireAfter expireAfter, Duration later, boolean hit, long entries)
      throws Exception {
    ScenarioClient client = over(cache().expireAfter(expireAfter));
    get(client, "/a");
    clock.advance(later);
    Reply again = get(client, "/a");

    assertThat(again.fromCache()).as(name).isEqualTo(hit);
    assertThat(origin.requestCount()).isEqualTo(hit ? 1 : 2);
    assertThat(origin.lastHeader("If-None-Match")).isNull();
    assertThat(stored()).isEqualTo(entries);
  }

  /** A response that expires at once but has a validator is revalidated on every use. */
  @Test
  public void expireImmediatelyWithAValidatorRevalidatesEveryUse() throws Exception {
    origin.answer(
        r ->
            "\"v1\"".equals(r.getHeaders().get("If-None-Match"))
                ? new MockResponse.Builder()
                    .code(304)
                    .addHeader("ETag", "\"v1\"")
                    .addHeader("X-Fresh", "yes")
                    .build()
                : new MockResponse.Builder()
                    .addHeader("ETag", "\"v1\"")
                    .addHeader("Content-Type", "text/plain")
                    .body("payload")
                    .build());
    ScenarioClient client = over(cache().expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY));

    get(client, "/a");
    Reply revalidated = get(client, "/a");

    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastHeader("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.text()).isEqualTo("payload");
    assertThat(revalidated.header("X-Fresh")).hasValue("yes");
    assertThat(revalidated.header("Content-Type")).hasValue("text/plain");
    assertThat(revalidated.fromCache()).isTrue();
    assertThat(revalidated.metadata().revalidated()).isTrue();
  }

  /** {@code Last-Modified} is sent back as {@code If-Modified-Since}; a 304 renews the expiry. */
  @Test
  public void lastModifiedIsSentAsIfModifiedSince() throws Exception {
    String lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
    origin.answer(
        r ->
            r.getHeaders().get("If-Modified-Since") != null
                ? new MockResponse.Builder().code(304).build()
                : new MockResponse.Builder()
                    .addHeader("Last-Modified", lastModified)
                    .body("old")
                    .build());
    ScenarioClient client = over(cache().expireAfter(Duration.ofSeconds(10)));
    get(client, "/a");
    clock.advance(Duration.ofSeconds(11));
    Reply response = get(client, "/a");

    assertThat(origin.lastHeader("If-Modified-Since")).isEqualTo(lastModified);
    assertThat(response.text()).isEqualTo("old");
    assertThat(response.metadata().expires()).hasValue(clock.instant().plusSeconds(10));
    assertThat(get(client, "/a").metadata().revalidated()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  /** A revalidation answered with a new 200 replaces the stored response. */
  @Test
  public void aChangedResponseReplacesTheStoredOne() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("ETag", "\"v2\"")
                .body("new " + r.getHeaders().get("If-None-Match"))
                .build());
    ScenarioClient client = over(cache().expireAfter(Duration.ofSeconds(10)));
    get(client, "/a");
    clock.advance(Duration.ofSeconds(11));
    Reply changed = get(client, "/a");

    assertThat(changed.text()).isEqualTo("new \"v2\"");
    assertThat(changed.fromCache()).isFalse();
    assertThat(get(client, "/a").text()).isEqualTo("new \"v2\"");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  /** URL patterns are tried in order and the first that matches wins. */
  @Test
  public void theFirstMatchingUrlPatternWins() throws Exception {
    ScenarioClient client =
        over(
            cache()
                .expireAfter(Duration.ofHours(1))
                .urlExpireAfter("127.0.0.1:" + origin.port() + "/short", Duration.ofSeconds(10))
                .urlExpireAfter("*/short-and-more", Duration.ofDays(1))
                .urlExpireAfter("*/never", ExpireAfter.DO_NOT_CACHE));

    assertThat(get(client, "/short-and-more").metadata().expires())
        .hasValue(clock.instant().plusSeconds(10));
    assertThat(get(client, "/other").metadata().expires())
        .hasValue(clock.instant().plus(Duration.ofHours(1)));
    get(client, "/never");
    get(client, "/never");
    assertThat(origin.requests().stream().filter(r -> r.getTarget().equals("/never"))).hasSize(2);
  }

  /** A catch-all {@code DO_NOT_CACHE} pattern last makes the patterns before it an allow-list. */
  @Test
  public void aDoNotCacheCatchAllMakesTheOtherPatternsAnAllowList() throws Exception {
    ScenarioClient client =
        over(
            cache()
                .urlExpireAfter("127.0.0.1:" + origin.port() + "/api/", Duration.ofMinutes(5))
                .urlExpireAfter("*", ExpireAfter.DO_NOT_CACHE));
    get(client, "/api/users?page=2");
    get(client, "/api/users?page=2");
    get(client, "/static/logo");
    get(client, "/static/logo");
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  // ---- allowable codes and methods, filter ----

  /** Only the allowable status codes are stored. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  public void onlyAllowableStatusCodesAreStored(boolean allow404) throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .code(r.getTarget().equals("/missing") ? 404 : 200)
                .body("x")
                .build());
    ScenarioClient client = over(allow404 ? cache().allowableCodes(Set.of(200, 404)) : cache());
    get(client, "/missing");
    Reply again = get(client, "/missing");

    assertThat(again.status()).isEqualTo(404);
    assertThat(again.fromCache()).isEqualTo(allow404);
    assertThat(origin.requestCount()).isEqualTo(allow404 ? 1 : 2);
  }

  /** POST is not cached by default, and its body reaches the origin. */
  @Test
  public void postIsNotCachedByDefault() throws Exception {
    ScenarioClient client = over(cache());
    send(client, "POST", "/p", utf8("q"), RequestOptions.DEFAULT, "Content-Type", "text/plain");
    Reply again =
        send(client, "POST", "/p", utf8("q"), RequestOptions.DEFAULT, "Content-Type", "text/plain");

    assertThat(again.fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getBody().utf8()).isEqualTo("q");
  }

  /** A POST that names GET in a method-override header is cached, apart from a plain GET. */
  @Test
  public void aPostThatOverridesItsMethodToGetIsCached() throws Exception {
    ScenarioClient client = over(cache());
    String[] tunnelled = {"X-HTTP-Method-Override", "GET", "Content-Type", "text/plain"};
    send(client, "POST", "/search", utf8("q=1"), RequestOptions.DEFAULT, tunnelled);
    Reply again = send(client, "POST", "/search", utf8("q=1"), RequestOptions.DEFAULT, tunnelled);
    Reply plainGet = get(client, "/search");

    assertThat(again.fromCache()).isTrue();
    assertThat(plainGet.fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.requests().get(0).getHeaders().get("X-HTTP-Method-Override"))
        .isEqualTo("GET");
  }

  /** An allowed POST is matched on its normalized JSON body; the origin gets the body as sent. */
  @Test
  public void anAllowedPostIsMatchedOnItsNormalizedJsonBody() throws Exception {
    ScenarioClient client = over(cache().allowableMethods(Set.of("GET", "post")));
    String sent = "{\"b\": 1, \"a\": {\"y\": 2, \"x\": [3, 1]}}";
    send(client, "POST", "/graphql", utf8(sent), RequestOptions.DEFAULT, json());
    Reply hit =
        send(
            client,
            "POST",
            "/graphql",
            utf8("{\"a\":{\"x\":[3,1],\"y\":2},\"b\":1}"),
            RequestOptions.DEFAULT,
            "Content-Type",
            "application/json; charset=utf-8");
    Reply miss =
        send(
            client,
            "POST",
            "/graphql",
            utf8("{\"a\":{\"x\":[1,3],\"y\":2},\"b\":1}"),
            RequestOptions.DEFAULT,
            json());

    assertThat(hit.fromCache()).isTrue();
    assertThat(miss.fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.requests().get(0).getBody().utf8()).isEqualTo(sent);
  }

  private static String[] json() {
    return new String[] {"Content-Type", "application/json"};
  }

  /** Form bodies are matched whatever the order of their pairs. */
  @Test
  public void formBodiesMatchWhateverTheirPairOrder() throws Exception {
    ScenarioClient client = over(cache().allowableMethods(Set.of("POST")));
    for (String body : List.of("b=2&a=1", "a=1&b=2")) {
      send(
          client,
          "POST",
          "/form",
          utf8(body),
          RequestOptions.DEFAULT,
          "Content-Type",
          "application/x-www-form-urlencoded");
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  /** The filter decides what is stored, and what stored response is served. */
  @Test
  public void theFilterDecidesWhatIsStoredAndServed() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("X-Private", r.getTarget().equals("/private") ? "1" : "0")
                .body("x")
                .build());
    ScenarioClient client =
        over(cache().filter(r -> r.headers().firstValue("X-Private").orElse("0").equals("0")));
    get(client, "/private");
    get(client, "/private");
    get(client, "/public");
    get(client, "/public");
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  /** HEAD is cached apart from GET. */
  @Test
  public void headIsCachedApartFromGet() throws Exception {
    ScenarioClient client = over(cache());
    send(client, "HEAD", "/a", new byte[0], RequestOptions.DEFAULT);
    Reply hit = send(client, "HEAD", "/a", new byte[0], RequestOptions.DEFAULT);
    Reply getAfter = get(client, "/a");

    assertThat(hit.fromCache()).isTrue();
    assertThat(hit.body()).isEmpty();
    assertThat(getAfter.fromCache()).isFalse();
    assertThat(getAfter.text()).isEqualTo("body of /a");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  // ---- per-request options ----

  /**
   * Whatever the cache options, the origin sees exactly the headers that the same library sends
   * without the cache: no marker, no rewritten Cache-Control.
   */
  @Test
  public void perRequestOptionsNeverGoOntoTheWire() throws Exception {
    ScenarioClient client = over(cache());
    List<RequestOptions> options =
        List.of(
            RequestOptions.SKIP_CACHE,
            RequestOptions.builder().expireAfter(Duration.ofSeconds(5)).forceRefresh(true).build(),
            RequestOptions.builder().expireAfter(ExpireAfter.DO_NOT_CACHE).refresh(true).build(),
            RequestOptions.builder().staleIfError(Duration.ofMinutes(1)).build(),
            RequestOptions.DEFAULT);
    for (int i = 0; i < options.size(); i++) {
      get(client, "/o" + i, options.get(i), "Accept", "text/plain", "X-Trace", "t");
    }
    try (ScenarioClient plain = plainClient()) {
      plain.send(
          "GET",
          origin.uri("/plain"),
          headers("Accept", "text/plain", "X-Trace", "t"),
          new byte[0],
          RequestOptions.DEFAULT);
    }

    List<String> expected = headerLines(origin.lastRequest());
    assertThat(origin.requests()).hasSize(options.size() + 1);
    for (RecordedRequest seen : origin.requests()) {
      assertThat(headerLines(seen)).as(seen.getTarget()).isEqualTo(expected);
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

  /** A per-request expiration overrides the cache's settings. */
  @Test
  public void aPerRequestExpirationOverridesTheSettings() throws Exception {
    ScenarioClient client = over(cache().expireAfter(Duration.ofHours(1)));
    Reply response = get(client, "/a", RequestOptions.expiringAfter(Duration.ofSeconds(5)));
    assertThat(response.metadata().expires()).hasValue(clock.instant().plusSeconds(5));
    clock.advance(Duration.ofSeconds(6));
    assertThat(get(client, "/a").fromCache()).isFalse();
  }

  /** skipCache neither reads nor writes. */
  @Test
  public void skipCacheNeitherReadsNorWrites() throws Exception {
    ScenarioClient client = over(cache());
    get(client, "/a");
    Reply skipped = get(client, "/a", RequestOptions.SKIP_CACHE);
    get(client, "/b", RequestOptions.SKIP_CACHE);

    assertThat(skipped.fromCache()).isFalse();
    assertThat(skipped.metadata().expires()).isEmpty();
    assertThat(origin.requestCount()).isEqualTo(3);
    assertThat(stored()).isEqualTo(1);
  }

  /** forceRefresh fetches without validators and stores the new response. */
  @Test
  public void forceRefreshFetchesAndStoresAnew() throws Exception {
    ScenarioClient client = over(cache());
    get(client, "/a");
    Reply refreshed = get(client, "/a", RequestOptions.builder().forceRefresh(true).build());
    Reply hit = get(client, "/a");

    assertThat(refreshed.fromCache()).isFalse();
    assertThat(hit.header("X-Serial")).hasValue("2");
    assertThat(origin.lastHeader("If-None-Match")).isNull();
  }

  /** refresh revalidates a fresh response that has a validator. */
  @Test
  public void refreshRevalidatesAFreshResponseThatHasAValidator() throws Exception {
    origin.answer(
        r ->
            r.getHeaders().get("If-None-Match") != null
                ? new MockResponse.Builder().code(304).build()
                : new MockResponse.Builder().addHeader("ETag", "W/\"1\"").body("v").build());
    ScenarioClient client = over(cache());
    get(client, "/a");
    Reply refreshed = get(client, "/a", RequestOptions.builder().refresh(true).build());

    assertThat(origin.lastHeader("If-None-Match")).isEqualTo("W/\"1\"");
    assertThat(refreshed.text()).isEqualTo("v");
    assertThat(refreshed.metadata().revalidated()).isTrue();
  }

  /** onlyIfCached answers 504 without the network when nothing is stored, else the stored one. */
  @Test
  public void onlyIfCachedAnswers504WithoutTheNetwork() throws Exception {
    ScenarioClient client = over(cache());
    RequestOptions offline = RequestOptions.builder().onlyIfCached(true).build();
    Reply unsatisfied = get(client, "/a", offline);
    assertThat(unsatisfied.status()).isEqualTo(504);
    assertThat(unsatisfied.body()).isEmpty();
    assertThat(unsatisfied.fromCache()).isTrue();
    assertThat(origin.requestCount()).isZero();

    get(client, "/a");
    Reply hit = get(client, "/a", offline);
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.text()).isEqualTo("body of /a");
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  // ---- RFC 9111 ----

  /** Under RFC 9111, max-age decides freshness and a hit carries its Age. */
  @Test
  public void maxAgeDecidesFreshnessAndAHitCarriesItsAge() throws Exception {
    answer("Cache-Control", "max-age=60");
    ScenarioClient client = over(standard());
    get(client, "/r");
    clock.advance(Duration.ofSeconds(59));
    Reply fresh = get(client, "/r");
    assertThat(fresh.fromCache()).isTrue();
    assertThat(fresh.header("Age")).hasValue("59");
    clock.advance(Duration.ofSeconds(2));
    assertThat(get(client, "/r").fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  /** no-store, in the response or in the request, is never stored. */
  @Test
  public void noStoreIsNeverStored() throws Exception {
    answer("Cache-Control", "no-store, max-age=60");
    ScenarioClient client = over(standard());
    get(client, "/r");
    assertThat(stored()).isZero();
    answer("Cache-Control", "max-age=60");
    get(client, "/r", "Cache-Control", "no-store");
    assertThat(stored()).isZero();
    get(client, "/r");
    assertThat(stored()).isEqualTo(1);
  }

  /** A 304 updates the stored headers, but not the validator nor what describes the body. */
  @Test
  public void a304UpdatesTheStoredHeaders() throws Exception {
    origin.answer(
        r ->
            r.getHeaders().get("If-None-Match") != null
                ? new MockResponse.Builder()
                    .code(304)
                    .addHeader("ETag", "\"other\"")
                    .addHeader("Cache-Control", "max-age=100")
                    .addHeader("X-Updated", "yes")
                    .build()
                : new MockResponse.Builder()
                    .addHeader("ETag", "\"e\"")
                    .addHeader("Cache-Control", "max-age=10")
                    .body("body")
                    .build());
    ScenarioClient client = over(standard());
    get(client, "/r");
    clock.advance(Duration.ofSeconds(11));
    Reply revalidated = get(client, "/r");

    assertThat(origin.lastHeader("If-None-Match")).isEqualTo("\"e\"");
    assertThat(revalidated.status()).isEqualTo(200);
    assertThat(revalidated.text()).isEqualTo("body");
    assertThat(revalidated.metadata().revalidated()).isTrue();
    assertThat(revalidated.header("X-Updated")).hasValue("yes");
    assertThat(revalidated.header("ETag")).hasValue("\"e\"");
    clock.advance(Duration.ofSeconds(90));
    Reply hit = get(client, "/r");
    assertThat(hit.fromCache()).isTrue();
    assertThat(hit.header("X-Updated")).hasValue("yes");
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  /** A caller's own conditional request that a fresh entry satisfies is answered 304. */
  @Test
  public void aCallersOwnConditionalRequestIsAnswered304FromAFreshEntry() throws Exception {
    answer("Cache-Control", "max-age=60", "ETag", "\"abc\"");
    ScenarioClient client = over(standard());
    get(client, "/r");
    Reply notModified = get(client, "/r", "If-None-Match", "W/\"abc\"");
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(get(client, "/r", "If-None-Match", "\"other\"").status()).isEqualTo(200);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  /** A successful unsafe request invalidates the stored response for its URL; a failed one not. */
  @Test
  public void aSuccessfulUnsafeRequestInvalidatesAndAFailedOneDoesNot() throws Exception {
    answer("Cache-Control", "max-age=600");
    ScenarioClient client = over(standard());
    get(client, "/r");
    origin.answer(r -> new MockResponse.Builder().code(500).build());
    send(client, "POST", "/r", utf8("x"), RequestOptions.DEFAULT, "Content-Type", "text/plain");
    assertThat(get(client, "/r").fromCache()).isTrue();
    origin.answer(r -> new MockResponse.Builder().code(204).build());
    send(client, "DELETE", "/r", new byte[0], RequestOptions.DEFAULT);
    answer("Cache-Control", "max-age=600");
    assertThat(get(client, "/r").fromCache()).isFalse();
  }

  /** A shared cache does not store a private response; a private cache does. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  public void onlyAPrivateCacheStoresAPrivateResponse(boolean shared) throws Exception {
    answer("Cache-Control", "private, max-age=100");
    ScenarioClient client = over(standard().shared(shared));
    get(client, "/r");
    assertThat(stored()).isEqualTo(shared ? 0 : 1);
  }

  // ---- Vary ----

  /** Variants of a response that varies each settle into hits after one miss. */
  @Test
  public void alternatingVariantsEachSettleIntoHitsAfterOneMiss() throws Exception {
    varyOn("Accept-Language");
    ScenarioClient client = over(cache());
    List<String> bodies = new ArrayList<>();
    List<Boolean> hits = new ArrayList<>();
    for (String lang : List.of("en", "fr", "en", "fr", "de", "en", "fr", "de")) {
      Reply r = get(client, "/page", "Accept-Language", lang);
      bodies.add(r.text());
      hits.add(r.fromCache());
    }
    assertThat(bodies)
        .containsExactly(
            "for en", "for fr", "for en", "for fr", "for de", "for en", "for fr", "for de");
    assertThat(hits).containsExactly(false, false, true, true, false, true, true, true);
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  /** A response that varies on a secret the request carried is never stored. */
  @Test
  public void aResponseThatVariesOnASecretTheRequestCarriedIsNeverStored() throws Exception {
    varyOn("Authorization", "ETag", "\"v1\"");
    ScenarioClient client = over(cache());
    Reply alice = get(client, "/me", "Authorization", "Bearer alice");
    Reply again = get(client, "/me", "Authorization", "Bearer alice");
    assertThat(alice.text()).isEqualTo("for Bearer alice");
    assertThat(again.fromCache()).isFalse();
    assertThat(stored()).isZero();
    assertThat(events).containsExactly("refused", "refused");
  }

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

  // ---- redaction ----

  /**
   * Secrets in every place a request carries them (query, headers in odd spellings, JSON at any
   * depth, a form, a response echoing a token) reach the origin unchanged and never the storage:
   * every byte the memory storage holds is searched for them.
   */
  @Test
  public void noSecretReachesTheStorage() throws Exception {
    origin.answer(
        r ->
            r.getUrl().encodedPath().equals("/echo")
                ? new MockResponse.Builder()
                    .addHeader("x-AUTH-token", String.valueOf(r.getHeaders().get("X-Auth-Token")))
                    .body("echo")
                    .build()
                : new MockResponse.Builder().body("ok").build());
    ScenarioClient client =
        over(cache().allowableMethods(Set.of("GET", "POST")).allowableCodes(Set.of(200)));
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      secrets.add("SECRET" + i + "x" + Long.toHexString(0x5eed_0000L + i * 7919L));
    }
    get(
        client,
        "/q?access_token=" + secrets.get(0) + "&APIKEY=" + secrets.get(1),
        "authorization",
        "Bearer " + secrets.get(2),
        "X-API-KEY",
        secrets.get(3));
    send(
        client,
        "POST",
        "/graphql",
        utf8(
            "{\"query\":\"q\",\"vars\":[{\"api_key\":\""
                + secrets.get(4)
                + "\"},{\"deep\":{\"ACCESS_TOKEN\":\""
                + secrets.get(5)
                + "\"}}]}"),
        RequestOptions.DEFAULT,
        json());
    send(
        client,
        "POST",
        "/form",
        utf8("a=1&Access_Token=" + secrets.get(6) + "&b=2"),
        RequestOptions.DEFAULT,
        "Content-Type",
        "application/x-www-form-urlencoded");
    get(client, "/echo", "X-Auth-Token", secrets.get(7), "x-access-token", secrets.get(8));

    assertThat(origin.requests().get(0).getTarget()).contains(secrets.get(0));
    assertThat(origin.requests().get(0).getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + secrets.get(2));
    assertThat(stored()).isEqualTo(4);
    String bytes = storedBytes();
    assertThat(bytes).contains("REDACTED");
    for (String secret : secrets) {
      assertThat(bytes).as("the storage holds %s", secret).doesNotContain(secret);
    }
  }

  private String storedBytes() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Namespace ns : Namespace.values()) {
      for (String key : storage.keys(ns)) {
        all.append(key).append('\n');
        all.append(new String(storage.get(ns, key).orElseThrow(), ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }

  // ---- stale responses ----

  /** stale-if-error: a stale response answers a 5xx or a closed connection, within its window. */
  @Test
  public void staleIfErrorAnswersWhenTheOriginFailsOrErrs() throws Exception {
    answer("Cache-Control", "max-age=10");
    ScenarioClient client = over(standard().staleIfError(Duration.ofMinutes(5)));
    get(client, "/r");
    clock.advance(Duration.ofSeconds(30));
    origin.answer(r -> new MockResponse.Builder().code(503).body("down").build());
    Reply on5xx = get(client, "/r");
    assertThat(on5xx.status()).isEqualTo(200);
    assertThat(on5xx.text()).isEqualTo("v1");
    assertThat(on5xx.fromCache()).isTrue();
    assertThat(on5xx.metadata().expired()).isTrue();
    origin.answer(
        r -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    Reply onClose = get(client, "/r");
    assertThat(onClose.text()).isEqualTo("v1");
    assertThat(onClose.fromCache()).isTrue();
    clock.advance(Duration.ofMinutes(10));
    origin.answer(r -> new MockResponse.Builder().code(503).body("down").build());
    Reply tooOld = get(client, "/r");
    assertThat(tooOld.status()).isEqualTo(503);
    assertThat(tooOld.text()).isEqualTo("down");
  }

  /** Without a stale response to fall back on, a failed connection fails the call. */
  @Test
  public void aFailedConnectionWithoutAStaleResponseFails() throws Exception {
    origin.answer(
        r -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    ScenarioClient client = over(cache());
    assertThatThrownBy(() -> get(client, "/r")).isInstanceOf(IOException.class);
    assertThat(stored()).isZero();
  }

  /** stale-while-revalidate: the stale response answers at once; a refresh stores the next one. */
  @Test
  public void staleWhileRevalidateServesAtOnceAndRefreshesInTheBackground() throws Exception {
    CountDownLatch refreshed = new CountDownLatch(1);
    answer("Cache-Control", "max-age=10, stale-while-revalidate=60");
    ScenarioClient client =
        over(
            standard()
                .listener(
                    new CacheListener() {
                      @Override
                      public void onStored(String key, int bodyBytes) {
                        if (origin.requestCount() == 2) {
                          refreshed.countDown();
                        }
                      }
                    }));
    get(client, "/r");
    clock.advance(Duration.ofSeconds(20));
    Reply stale = get(client, "/r");
    assertThat(stale.fromCache()).isTrue();
    assertThat(stale.text()).isEqualTo("v1");
    assertThat(stale.metadata().expired()).isTrue();

    assertThat(refreshed.await(10, TimeUnit.SECONDS)).isTrue();
    Reply next = get(client, "/r");
    assertThat(next.fromCache()).isTrue();
    assertThat(next.text()).isEqualTo("v2");
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(origin.lastRequest().getTarget()).isEqualTo("/r");
  }

  // ---- bodies ----

  /** A body over maxBodySize, of known length or chunked, is delivered whole and not stored. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  public void aBodyOverTheLimitIsDeliveredWholeAndNotStored(boolean chunked) throws Exception {
    String big = "y".repeat(10_000);
    origin.answer(
        r ->
            chunked
                ? new MockResponse.Builder().chunkedBody(big, 1000).build()
                : new MockResponse.Builder().body(big).build());
    ScenarioClient client = over(cache().maxBodySize(9_999));
    Reply first = get(client, "/big");
    Reply second = get(client, "/big");

    assertThat(first.text()).isEqualTo(big);
    assertThat(second.text()).isEqualTo(big);
    assertThat(second.fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(stored()).isZero();
  }

  /** A chunked body within the limit is stored once read whole. */
  @Test
  public void aChunkedBodyWithinTheLimitIsStored() throws Exception {
    String body = "z".repeat(5_000);
    origin.answer(r -> new MockResponse.Builder().chunkedBody(body, 700).build());
    ScenarioClient client = over(cache());
    assertThat(get(client, "/c").text()).isEqualTo(body);
    Reply hit = get(client, "/c");
    assertThat(hit.fromCache()).isTrue();
    assertThat(hit.text()).isEqualTo(body);
  }

  // ---- concurrency ----

  /** Concurrent identical misses make one origin request; every caller gets the body. */
  @Test
  public void concurrentIdenticalMissesAreCoalesced() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .headersDelay(300, TimeUnit.MILLISECONDS)
                .addHeader("Cache-Control", "max-age=600")
                .body("slow")
                .build());
    ScenarioClient client = over(standard());
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<Reply>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> get(client, "/r")));
      }
      for (Future<Reply> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS).text()).isEqualTo("slow");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  /** Many threads over many URLs each get their own URL's body. */
  @Test
  public void manyThreadsGetTheRightBodies() throws Exception {
    ScenarioClient client = over(cache());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String path = "/item/" + (i % 20);
        results.add(pool.submit(() -> get(client, path).text().equals("body of " + path)));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stored()).isEqualTo(20);
  }

  // ---- redirects ----

  /** The origin answers /a with a 301 to /b, /b with a 302 to /c, and /c with "final". */
  private void answerARedirectChain() {
    origin.answer(
        r -> {
          switch (r.getTarget()) {
            case "/a":
              return new MockResponse.Builder().code(301).addHeader("Location", "/b").build();
            case "/b":
              return new MockResponse.Builder().code(302).addHeader("Location", "/c").build();
            default:
              return new MockResponse.Builder().body("final").build();
          }
        });
  }

  /** A followed redirect chain is stored with its final URL; every hop leads to it. */
  @Test
  public void everyHopOfAFollowedRedirectChainLeadsToTheFinalResponse() throws Exception {
    answerARedirectChain();
    ScenarioClient client = over(cache());

    assertThat(get(client, "/a").text()).isEqualTo("final");
    Reply first = get(client, "/a");
    Reply middle = get(client, "/b");
    Reply last = get(client, "/c");

    assertThat(first.fromCache()).isTrue();
    assertThat(middle.text()).isEqualTo("final");
    assertThat(middle.fromCache()).isTrue();
    assertThat(last.fromCache()).isTrue();
    assertThat(origin.requestCount()).isEqualTo(3);
    assertThat(storage.count(Namespace.REDIRECTS)).isEqualTo(2);
  }

  /**
   * The aliases of a redirect chain expire with the entry they lead to, whenever the adapter names
   * the hops (before or after the body is stored), so that removing expired entries retires them.
   */
  @Test
  public void theAliasesOfARedirectChainExpireWithTheirEntry() throws Exception {
    answerARedirectChain();
    ScenarioClient client = over(cache().expireAfter(Duration.ofMinutes(5)));

    Reply stored = get(client, "/a");

    Instant expires = stored.metadata().expires().orElseThrow();
    assertThat(expires).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    List<Instant> aliasExpiries = new ArrayList<>();
    try (Storage.Cursor cursor = storage.scan(Namespace.REDIRECTS)) {
      for (Optional<Storage.Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
        aliasExpiries.add(item.get().expires());
      }
    }
    assertThat(aliasExpiries).containsExactly(expires, expires);

    clock.advance(Duration.ofMinutes(6));
    assertThat(storage.removeExpired(Namespace.RESPONSES, clock.instant())).isEqualTo(1);
    assertThat(storage.removeExpired(Namespace.REDIRECTS, clock.instant())).isEqualTo(2);
    assertThat(get(client, "/b").fromCache()).isFalse();
    assertThat(origin.requestCount()).isEqualTo(5);
  }

  // ---- faults and integrity ----

  /** An entry that cannot be decoded is a miss, reported, and replaced. */
  @Test
  public void anUndecodableEntryIsAMissAndIsReplaced() throws Exception {
    ScenarioClient client = over(cache());
    String key = get(client, "/a").metadata().key();
    storage.put(Namespace.RESPONSES, key, utf8("exploit!"), null);

    Reply response = get(client, "/a");

    assertThat(response.text()).isEqualTo("body of /a");
    assertThat(response.fromCache()).isFalse();
    assertThat(events).contains("undecodable " + key);
    assertThat(get(client, "/a").fromCache()).isTrue();
  }

  /** A signed entry overwritten under another key fails the request with IntegrityException. */
  @Test
  public void aTamperedSignedEntryRaisesAnIntegrityException() throws Exception {
    ScenarioClient alice = over(cache().codec(Codec.signed(SecretKeys.of(SecretKeys.generate()))));
    ScenarioClient mallory =
        over(cache().codec(Codec.signed(SecretKeys.of(SecretKeys.generate()))));
    get(alice, "/a");
    get(mallory, "/a", RequestOptions.builder().forceRefresh(true).build());

    assertThatThrownBy(() -> get(alice, "/a")).isInstanceOf(IntegrityException.class);
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  /** Secrets in the URL and headers reach the origin unchanged. */
  @Test
  public void secretsReachTheOriginUnchanged() throws Exception {
    ScenarioClient client = over(cache());
    URI uri = origin.uri("/s?api_key=k1&x=1");
    client.send("GET", uri, headers("X-Api-Key", "k2"), new byte[0], RequestOptions.DEFAULT);
    assertThat(origin.lastRequest().getTarget()).isEqualTo("/s?api_key=k1&x=1");
    assertThat(origin.lastHeader("X-Api-Key")).isEqualTo("k2");
  }
}
