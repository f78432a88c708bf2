package dev.httpcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each hit benchmark state's set-up once, as JMH does, for each body size, and checks what the
 * benchmarks measure: every client answers the request with the origin's whole body (1 KB and 100
 * KB) from its cache, and the origin hears of no request after the priming one. No timing here;
 * speed is measured by JMH.
 */
final class HitStatesTest {

  /** One benchmark operation. */
  private interface Hit {
    byte[] fetch() throws Exception;
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void httpcacheWithMemoryStorageAnswersFromItsCache(int size) throws Exception {
    HttpcacheMemoryState state = new HttpcacheMemoryState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void httpcacheStandardAnswersFromItsCacheWithAnAgeLine(int size) throws Exception {
    HttpcacheStandardState state = new HttpcacheStandardState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
      // RFC 9111 serving: the hit says its age, which the fixed-expiry states do not.
      assertThat(state.response().headers().firstValue("Age")).isPresent();
    } finally {
      state.tearDown();
    }
  }

  @Test
  void httpcacheWithAFixedExpiryServesTheStoredHeadersWithoutAnAgeLine() throws Exception {
    HttpcacheMemoryState state = new HttpcacheMemoryState();
    state.setUp();
    try {
      assertThat(state.response().headers().firstValue("Age")).isEmpty();
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void httpcacheWithSqliteStorageAnswersFromItsCache(int size) throws Exception {
    HttpcacheSqliteState state = new HttpcacheSqliteState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void httpcacheWithRedisStorageAnswersFromItsCache(int size) throws Exception {
    HttpcacheRedisState state = new HttpcacheRedisState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void httpcacheWithFilesystemStorageAnswersFromItsCache(int size) throws Exception {
    HttpcacheFilesystemState state = new HttpcacheFilesystemState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void okHttpCacheAnswersFromItsCache(int size) throws Exception {
    OkHttpState state = new OkHttpState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void okHttpWithTheInterceptorOverMemoryAnswersFromTheCache(int size) throws Exception {
    InterceptorMemoryState state = new InterceptorMemoryState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void okHttpWithTheInterceptorOverSqliteAnswersFromTheCache(int size) throws Exception {
    InterceptorSqliteState state = new InterceptorSqliteState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void interceptorTearDownFailsWhenAMeasuredRequestReachedTheOrigin() throws Exception {
    InterceptorMemoryState state = new InterceptorMemoryState();
    state.setUp();
    HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(state.origin().uri()).build(), BodyHandlers.discarding());
    assertThatThrownBy(state::tearDown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reached the origin");
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 102400})
  void apacheCachingClientAnswersFromItsCache(int size) throws Exception {
    ApacheState state = new ApacheState();
    state.size = size;
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void tearDownFailsWhenAMeasuredRequestReachedTheOrigin() throws Exception {
    HttpcacheMemoryState state = new HttpcacheMemoryState();
    state.setUp();
    URI uri = state.origin().uri();
    HttpClient plain = HttpClient.newHttpClient();
    plain.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.discarding());

    assertThatThrownBy(state::tearDown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reached the origin");
    // The origin was closed all the same.
    assertThatThrownBy(
            () -> plain.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void originAnswersAFreshCacheableBodyOf1024Bytes() throws Exception {
    try (Origin origin = Origin.start()) {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(origin.uri()).build(), BodyHandlers.ofByteArray());

      assertThat(origin.uri().getHost()).isEqualTo("127.0.0.1");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).hasSize(Origin.BODY_SIZE).isEqualTo(Origin.expectedBody());
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=86400");
      assertThat(response.headers().firstValue("Content-Length")).hasValue("1024");
      assertThat(response.headers().allValues("Date")).hasSize(1);
      assertThat(response.headers().firstValue("Last-Modified")).isPresent();
      assertThat(origin.requests()).isEqualTo(1);
    }
  }

  @Test
  void hitCheckRejectsARequestThatReachedTheOrigin() throws Exception {
    try (Origin origin = Origin.start()) {
      HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(origin.uri()).build(), BodyHandlers.discarding());

      assertThatThrownBy(
              () -> Hits.requireHit("client", origin, 0, true, "hit", Origin.expectedBody()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reached the origin");
    }
  }

  @Test
  void hitCheckRejectsAResponseTheClientDidNotServeFromItsCache() throws Exception {
    try (Origin origin = Origin.start()) {
      assertThatThrownBy(
              () -> Hits.requireHit("client", origin, 0, false, "MISS", Origin.expectedBody()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not a cache hit: MISS");
    }
  }

  @Test
  void hitCheckRejectsAShortBody() throws Exception {
    try (Origin origin = Origin.start()) {
      assertThatThrownBy(() -> Hits.requireHit("client", origin, 0, true, "hit", new byte[1023]))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1023 bytes");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 102400})
  void copyBaselineCopiesTheBodyOfTheSize(int size) {
    CopyState state = new CopyState();
    state.size = size;
    state.setUp();
    byte[] copy = state.copy();
    assertThat(copy).hasSize(size).isEqualTo(Origin.body(size)).isNotSameAs(state.copy());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 102400})
  void originServesTheBodySizeItWasStartedWith(int size) throws Exception {
    try (Origin origin = Origin.start(size)) {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(origin.uri()).build(), BodyHandlers.ofByteArray());
      assertThat(response.body()).hasSize(size).isEqualTo(origin.body());
      assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
    }
  }

  @Test
  void hitCheckRejectsABodyOfAnotherSize() throws Exception {
    try (Origin origin = Origin.start(102400)) {
      assertThatThrownBy(
              () -> Hits.requireHit("client", origin, 0, true, "hit", Origin.expectedBody()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1024 bytes differs from the origin's 102400");
    }
  }

  private static void assertHitsWithoutOrigin(Origin origin, Hit hit) throws Exception {
    // Set-up sent the priming request and checked one hit; only the priming one reached the origin.
    assertThat(origin.requests()).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      assertThat(hit.fetch()).hasSize(origin.bodySize()).isEqualTo(origin.body());
    }
    assertThat(origin.requests()).isEqualTo(1);
  }
}
