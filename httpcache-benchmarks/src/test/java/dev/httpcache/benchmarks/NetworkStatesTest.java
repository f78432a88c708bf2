package dev.httpcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the states of the miss and revalidation benchmarks as JMH does (trial set-up, one iteration
 * of a few operations, the iteration's checks, tear-down) for every client and size, and checks
 * what they measure: each operation reaches the origin exactly once; a miss is stored; a
 * revalidation is a conditional request answered 304; a plain request is a 200 with the body. No
 * timing here.
 */
final class NetworkStatesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "httpcache-memory",
        "httpcache-sqlite",
        "httpcache-filesystem",
        "httpcache-redis",
        "interceptor-memory",
        "interceptor-sqlite",
        "okhttp-cache",
        "apache-cache",
        "plain-jdk",
        "plain-okhttp",
        "plain-apache"
      })
  void eachMissReachesTheOriginOnceAndIsStored(String client) throws Exception {
    MissState state = new MissState();
    state.client = client;
    state.setUp();
    try {
      for (int iteration = 0; iteration < 2; iteration++) {
        state.startIteration();
        int before = state.origin().requests();
        for (int i = 0; i < 5; i++) {
          assertThat(state.miss()).isEqualTo(state.origin().body());
        }
        assertThat(state.origin().requests()).isEqualTo(before + 5);
        // Checks the counts and that the last URLs are now hits (for a client with a cache).
        state.endIteration();
      }
    } finally {
      state.tearDown();
    }
  }

  @Test
  void missIterationFailsWhenAnOperationDidNotReachTheOrigin() throws Exception {
    MissState state = new MissState();
    state.setUp();
    try {
      state.startIteration();
      state.miss();
      // A request the benchmark did not make: the counts no longer match one request per miss.
      HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(state.origin().uri()).build(), BodyHandlers.discarding());
      assertThatThrownBy(state::endIteration)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1 operations made 2 origin requests");
    } finally {
      state.tearDown();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "httpcache-memory, 1024",
    "httpcache-memory, 102400",
    "httpcache-sqlite, 1024",
    "httpcache-sqlite, 102400",
    "httpcache-filesystem, 1024",
    "httpcache-filesystem, 102400",
    "httpcache-redis, 1024",
    "httpcache-redis, 102400",
    "interceptor-memory, 1024",
    "interceptor-memory, 102400",
    "interceptor-sqlite, 1024",
    "interceptor-sqlite, 102400",
    "okhttp-cache, 1024",
    "okhttp-cache, 102400",
    "apache-cache, 1024",
    "apache-cache, 102400"
  })
  void eachRevalidationIsAConditionalRequestAnswered304(String client, int size) throws Exception {
    RevalidationState state = new RevalidationState();
    state.client = client;
    state.size = size;
    state.setUp();
    try {
      state.startIteration();
      int before = state.origin().requests();
      int notModified = state.origin().notModified();
      for (int i = 0; i < 3; i++) {
        assertThat(state.revalidate()).hasSize(size).isEqualTo(state.origin().body());
      }
      assertThat(state.origin().requests()).isEqualTo(before + 3);
      assertThat(state.origin().notModified()).isEqualTo(notModified + 3);
      state.endIteration();
    } finally {
      state.tearDown();
    }
  }

  @Test
  void revalidationIterationFailsWhenARequestFetchedTheBody() throws Exception {
    RevalidationState state = new RevalidationState();
    state.setUp();
    try {
      state.startIteration();
      state.revalidate();
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(state.origin().uri(Origin.STALE_PATH)).build(),
              BodyHandlers.discarding());
      assertThatThrownBy(state::endIteration)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1 operations made 2 origin requests");
    } finally {
      state.tearDown();
    }
  }

  @Test
  void revalidationSetUpRefusesAClientWithoutACache() {
    RevalidationState state = new RevalidationState();
    state.client = "plain-jdk";
    assertThatThrownBy(state::setUp)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no cache");
  }

  @ParameterizedTest
  @CsvSource({
    "plain-jdk, 1024",
    "plain-jdk, 102400",
    "plain-okhttp, 1024",
    "plain-okhttp, 102400",
    "plain-apache, 1024",
    "plain-apache, 102400"
  })
  void eachPlainRequestIsA200WithTheBody(String client, int size) throws Exception {
    PlainState state = new PlainState();
    state.client = client;
    state.size = size;
    state.setUp();
    try {
      state.startIteration();
      for (int i = 0; i < 3; i++) {
        assertThat(state.request()).hasSize(size).isEqualTo(state.origin().body());
      }
      state.endIteration();
      assertThat(state.origin().notModified()).isZero();
    } finally {
      state.tearDown();
    }
  }

  @Test
  void originAnswersAConditionalRequestForTheNoCacheResource304() throws Exception {
    try (Origin origin = Origin.start(100)) {
      HttpClient client = HttpClient.newHttpClient();
      var full =
          client.send(
              HttpRequest.newBuilder(origin.uri(Origin.STALE_PATH)).build(),
              BodyHandlers.ofByteArray());
      var conditional =
          client.send(
              HttpRequest.newBuilder(origin.uri(Origin.STALE_PATH))
                  .header("If-None-Match", Origin.ETAG)
                  .build(),
              BodyHandlers.ofByteArray());

      assertThat(full.statusCode()).isEqualTo(200);
      assertThat(full.body()).hasSize(100);
      assertThat(full.headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(conditional.statusCode()).isEqualTo(304);
      assertThat(conditional.body()).isEmpty();
      assertThat(origin.requests()).isEqualTo(2);
      assertThat(origin.notModified()).isEqualTo(1);
    }
  }
}
