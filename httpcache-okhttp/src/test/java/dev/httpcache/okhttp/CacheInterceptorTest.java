package dev.httpcache.okhttp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to OkHttp: how the interceptor sits in OkHttp's chain, tags, OkHttp's own
 * provenance fields, transparent gzip, one-shot bodies, authenticators and closing bodies early.
 * The behaviour shared with CachedHttpClient is in the scenario suite.
 */
final class CacheInterceptorTest {
  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Function<RecordedRequest, MockResponse> answer =
      r -> new MockResponse.Builder().body("body of " + r.getTarget()).build();
  private Storage storage;
  private HttpCache cache;

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            return answer.apply(request);
          }
        });
    server.start(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
    storage = Storage.inMemory();
    cache = HttpCache.builder().storage(storage).build();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    cache.close();
  }

  private String url(String path) {
    return server.url(path).toString();
  }

  private OkHttpClient client() {
    return new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(cache)).build();
  }

  private static String fetch(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  @Test
  void metadataOfAResponseThatDidNotPassThroughTheInterceptorIsRefused() throws Exception {
    try (Response plain = new OkHttpClient().newCall(get(url("/a"))).execute()) {
      assertThatThrownBy(() -> CacheInterceptor.metadata(plain))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("addInterceptor");
    }
  }

  @Test
  void addedAsANetworkInterceptorItRefusesToRun() {
    OkHttpClient wrong =
        new OkHttpClient.Builder().addNetworkInterceptor(CacheInterceptor.of(cache)).build();
    assertThatThrownBy(() -> wrong.newCall(get(url("/a"))).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("addInterceptor");
  }

  @Test
  void hitsAndRevalidationsReportTheirProvenanceAsOkHttpsOwnCacheDoes() throws Exception {
    answer =
        r ->
            r.getHeaders().get("If-None-Match") != null
                ? new MockResponse.Builder().code(304).build()
                : new MockResponse.Builder().addHeader("ETag", "\"1\"").body("v").build();
    OkHttpClient client = client();
    try (Response miss = client.newCall(get(url("/a"))).execute()) {
      assertThat(miss.body().string()).isEqualTo("v");
      assertThat(miss.cacheResponse()).isNull();
      assertThat(miss.networkResponse()).isNotNull();
    }
    try (Response hit = client.newCall(get(url("/a"))).execute()) {
      assertThat(hit.body().string()).isEqualTo("v");
      assertThat(hit.cacheResponse()).isNotNull();
      assertThat(hit.networkResponse()).isNull();
      assertThat(hit.request().url()).isEqualTo(server.url("/a"));
    }
    Request refresh =
        get(url("/a"))
            .newBuilder()
            .tag(RequestOptions.class, RequestOptions.builder().refresh(true).build())
            .build();
    try (Response revalidated = client.newCall(refresh).execute()) {
      assertThat(revalidated.body().string()).isEqualTo("v");
      assertThat(revalidated.code()).isEqualTo(200);
      assertThat(revalidated.cacheResponse()).isNotNull();
      assertThat(revalidated.networkResponse()).isNotNull();
      assertThat(revalidated.networkResponse().code()).isEqualTo(304);
      assertThat(CacheInterceptor.metadata(revalidated).revalidated()).isTrue();
    }
    assertThat(seen).hasSize(2);
  }

  @Test
  void optionsTravelAsATagAndWithOptionsSetsTheDefault() throws Exception {
    OkHttpClient skipping =
        new OkHttpClient.Builder()
            .addInterceptor(CacheInterceptor.of(cache).withOptions(RequestOptions.SKIP_CACHE))
            .build();
    fetch(skipping, get(url("/a")));
    fetch(skipping, get(url("/a")));
    assertThat(storage.count(Namespace.RESPONSES)).isZero();

    Request tagged =
        get(url("/a"))
            .newBuilder()
            .tag(RequestOptions.class, RequestOptions.expiringAfter(Duration.ofMinutes(1)))
            .build();
    try (Response response = skipping.newCall(tagged).execute()) {
      response.body().string();
      assertThat(CacheInterceptor.metadata(response).expires()).isPresent();
    }
    try (Response hit = skipping.newCall(tagged).execute()) {
      assertThat(CacheInterceptor.metadata(hit).fromCache()).isTrue();
    }
    assertThat(seen).hasSize(3);
    // Tags never reach the wire.
    for (RecordedRequest request : seen) {
      assertThat(request.getHeaders().names())
          .containsExactlyInAnyOrder("Host", "Connection", "Accept-Encoding", "User-Agent");
    }
  }

  @Test
  void hitsNeverReachTheInterceptorsBeneathIt() throws Exception {
    List<String> outer = new CopyOnWriteArrayList<>();
    List<String> inner = new CopyOnWriteArrayList<>();
    List<String> network = new CopyOnWriteArrayList<>();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  outer.add(chain.request().url().encodedPath());
                  return chain.proceed(
                      chain.request().newBuilder().header("X-Api-Key", "SECRET-K").build());
                })
            .addInterceptor(CacheInterceptor.of(cache))
            .addInterceptor(
                chain -> {
                  inner.add(chain.request().header("X-Api-Key"));
                  return chain.proceed(chain.request());
                })
            .addNetworkInterceptor(
                chain -> {
                  network.add(chain.request().url().encodedPath());
                  return chain.proceed(chain.request());
                })
            .build();

    fetch(client, get(url("/a")));
    fetch(client, get(url("/a")));

    assertThat(outer).containsExactly("/a", "/a");
    assertThat(inner).containsExactly("SECRET-K");
    assertThat(network).containsExactly("/a");
    assertThat(seen.get(0).getHeaders().get("X-Api-Key")).isEqualTo("SECRET-K");
    // The key an outer interceptor added is redacted from storage, like the caller's own.
    assertThat(storedText()).contains("REDACTED").doesNotContain("SECRET-K");
  }

  @Test
  void aBodyThatIsNotStoredIsPassedThroughUntouched() throws Exception {
    answer =
        r -> new MockResponse.Builder().addHeader("Cache-Control", "no-store").body("x").build();
    AtomicReference<ResponseBody> beneath = new AtomicReference<>();
    Interceptor recorder =
        chain -> {
          Response response = chain.proceed(chain.request());
          beneath.set(response.body());
          return response;
        };
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(CacheInterceptor.of(HttpCache.standard().storage(storage).build()))
            .addInterceptor(recorder)
            .build();
    try (Response response = client.newCall(get(url("/a"))).execute()) {
      assertThat(response.body()).isSameAs(beneath.get());
      assertThat(response.body().string()).isEqualTo("x");
      assertThat(CacheInterceptor.metadata(response).fromCache()).isFalse();
    }
    answer = r -> new MockResponse.Builder().body("y".repeat(100)).build();
    OkHttpClient small =
        new OkHttpClient.Builder()
            .addInterceptor(
                CacheInterceptor.of(HttpCache.builder().storage(storage).maxBodySize(99).build()))
            .addInterceptor(recorder)
            .build();
    try (Response response = small.newCall(get(url("/b"))).execute()) {
      assertThat(response.body()).isSameAs(beneath.get());
    }
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void aGzippedResponseIsStoredAndServedDecoded() throws Exception {
    Buffer gzipped = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(gzipped))) {
      sink.writeUtf8("plain text, once gzipped");
    }
    answer =
        r ->
            new MockResponse.Builder()
                .addHeader("Content-Encoding", "gzip")
                .body(gzipped.clone())
                .build();
    OkHttpClient client = client();
    assertThat(fetch(client, get(url("/z")))).isEqualTo("plain text, once gzipped");
    try (Response hit = client.newCall(get(url("/z"))).execute()) {
      assertThat(hit.body().string()).isEqualTo("plain text, once gzipped");
      assertThat(hit.header("Content-Encoding")).isNull();
      assertThat(CacheInterceptor.metadata(hit).fromCache()).isTrue();
    }
    assertThat(seen.get(0).getHeaders().get("Accept-Encoding")).isEqualTo("gzip");
  }

  @Test
  void aOneShotRequestBodyIsReadOnceAndSentWhole() throws Exception {
    HttpCache posts = HttpCache.builder().storage(storage).allowableMethods(Set.of("POST")).build();
    OkHttpClient client =
        new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(posts)).build();
    for (int i = 0; i < 2; i++) {
      RequestBody once = oneShot();
      fetch(client, new Request.Builder().url(url("/p")).post(once).build());
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getBody().utf8()).isEqualTo("one shot");
    assertThat(seen.get(0).getHeaders().get("Content-Type")).isEqualTo("text/plain");
  }

  @Test
  void aCoalescedOneShotRequestIsReadOnceAndAnsweredFromTheLeadersResponse() throws Exception {
    answer =
        r ->
            new MockResponse.Builder()
                .headersDelay(300, TimeUnit.MILLISECONDS)
                .body("for " + r.getBody().utf8())
                .build();
    HttpCache posts = HttpCache.builder().storage(storage).allowableMethods(Set.of("POST")).build();
    OkHttpClient client =
        new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(posts)).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> bodies = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        bodies.add(
            pool.submit(
                () -> fetch(client, new Request.Builder().url(url("/q")).post(oneShot()).build())));
      }
      for (java.util.concurrent.Future<String> body : bodies) {
        assertThat(body.get(30, TimeUnit.SECONDS)).isEqualTo("for one shot");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aResponseReportsTheCallersRequestWithoutTheCachesConditionalHeaders() throws Exception {
    answer =
        r ->
            new MockResponse.Builder()
                .addHeader("ETag", "\"" + seen.size() + "\"")
                .body("v")
                .build();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(
                CacheInterceptor.of(
                    HttpCache.builder()
                        .storage(storage)
                        .expireAfter(ExpireAfter.EXPIRE_IMMEDIATELY)
                        .build()))
            .build();
    Request request = get(url("/e")).newBuilder().header("Accept", "text/plain").build();
    fetch(client, request);
    try (Response changed = client.newCall(request).execute()) {
      assertThat(seen.get(1).getHeaders().get("If-None-Match")).isEqualTo("\"1\"");
      assertThat(changed.request().header("If-None-Match")).isNull();
      assertThat(changed.request().header("Accept")).isEqualTo("text/plain");
      assertThat(CacheInterceptor.metadata(changed).fromCache()).isFalse();
    }
  }

  private static RequestBody oneShot() {
    return new RequestBody() {
      private boolean written;

      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        if (written) {
          throw new IOException("written twice");
        }
        written = true;
        sink.writeUtf8("one shot");
      }
    };
  }

  @Test
  void aResponseForCredentialsAnAuthenticatorAddedIsNotStored() throws Exception {
    answer =
        r ->
            r.getHeaders().get("Authorization") == null
                ? new MockResponse.Builder()
                    .code(401)
                    .addHeader("WWW-Authenticate", "Basic realm=\"x\"")
                    .build()
                : new MockResponse.Builder()
                    .body("private to " + r.getHeaders().get("Authorization"))
                    .build();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(CacheInterceptor.of(cache))
            .authenticator(
                (route, response) ->
                    response.request().newBuilder().header("Authorization", "Basic dTpw").build())
            .build();
    assertThat(fetch(client, get(url("/me")))).isEqualTo("private to Basic dTpw");
    assertThat(fetch(client, get(url("/me")))).isEqualTo("private to Basic dTpw");
    assertThat(seen).hasSize(4);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void aBodyClosedBeforeItsEndIsReadOnAndStored() throws Exception {
    answer = r -> new MockResponse.Builder().body("0123456789".repeat(1000)).build();
    OkHttpClient client = client();
    try (Response response = client.newCall(get(url("/partial"))).execute()) {
      assertThat(response.body().source().readUtf8(10)).isEqualTo("0123456789");
    }
    try (Response hit = client.newCall(get(url("/partial"))).execute()) {
      assertThat(CacheInterceptor.metadata(hit).fromCache()).isTrue();
      assertThat(hit.body().string()).hasSize(10_000);
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aBodyClosedFarFromItsEndIsNotStored() throws Exception {
    answer =
        r ->
            new MockResponse.Builder()
                .body("x".repeat(4096))
                .throttleBody(1024, 2, TimeUnit.SECONDS)
                .build();
    OkHttpClient client = client();
    try (Response response = client.newCall(get(url("/slow"))).execute()) {
      assertThat(response.body().source().readUtf8(10)).hasSize(10);
    }
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  @Test
  void anOnlyIfCachedMissAnswersWithOkHttpsOwn504() throws Exception {
    Request offline =
        get(url("/none"))
            .newBuilder()
            .tag(RequestOptions.class, RequestOptions.builder().onlyIfCached(true).build())
            .build();
    try (Response response = client().newCall(offline).execute()) {
      assertThat(response.code()).isEqualTo(504);
      assertThat(response.message()).isEqualTo("Unsatisfiable Request (only-if-cached)");
      CacheMetadata metadata = CacheInterceptor.metadata(response);
      assertThat(metadata.fromCache()).isTrue();
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void doNotCacheForOneRequestLeavesTheStorageAlone() throws Exception {
    Request uncached =
        get(url("/a"))
            .newBuilder()
            .tag(
                RequestOptions.class,
                RequestOptions.builder().expireAfter(ExpireAfter.DO_NOT_CACHE).build())
            .build();
    OkHttpClient client = client();
    fetch(client, uncached);
    fetch(client, uncached);
    assertThat(seen).hasSize(2);
    assertThat(storage.count(Namespace.RESPONSES)).isZero();
  }

  private String storedText() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Namespace ns : Namespace.values()) {
      for (String key : storage.keys(ns)) {
        all.append(new String(storage.get(ns, key).orElseThrow(), ISO_8859_1));
      }
    }
    return all.toString();
  }
}
