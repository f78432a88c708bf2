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

/**
 * Runs each benchmark state's set-up once, as JMH does, and checks what the benchmarks measure:
 * every client answers the request with the origin's whole 1024-byte body from its cache, and the
 * origin hears of no request after the priming one. No timing here; speed is measured by JMH.
 */
final class HitStatesTest {

  /** One benchmark operation. */
  private interface Hit {
    byte[] fetch() throws Exception;
  }

  @Test
  void httpcacheWithMemoryStorageAnswersFromItsCache() throws Exception {
    HttpcacheMemoryState state = new HttpcacheMemoryState();
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void httpcacheWithSqliteStorageAnswersFromItsCache() throws Exception {
    HttpcacheSqliteState state = new HttpcacheSqliteState();
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void httpcacheWithRedisStorageAnswersFromItsCache() throws Exception {
    HttpcacheRedisState state = new HttpcacheRedisState();
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void okHttpCacheAnswersFromItsCache() throws Exception {
    OkHttpState state = new OkHttpState();
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void okHttpWithTheInterceptorOverMemoryAnswersFromTheCache() throws Exception {
    InterceptorMemoryState state = new InterceptorMemoryState();
    state.setUp();
    try {
      assertHitsWithoutOrigin(state.origin(), state::hit);
    } finally {
      state.tearDown();
    }
  }

  @Test
  void okHttpWithTheInterceptorOverSqliteAnswersFromTheCache() throws Exception {
    InterceptorSqliteState state = new InterceptorSqliteState();
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

  @Test
  void apacheCachingClientAnswersFromItsCache() throws Exception {
    ApacheState state = new ApacheState();
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

  private static void assertHitsWithoutOrigin(Origin origin, Hit hit) throws Exception {
    // Set-up sent the priming request and checked one hit; only the priming one reached the origin.
    assertThat(origin.requests()).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      assertThat(hit.fetch()).hasSize(Origin.BODY_SIZE).isEqualTo(Origin.expectedBody());
    }
    assertThat(origin.requests()).isEqualTo(1);
  }
}
