package dev.httpcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis going away under a running cache, on a redis-server the test starts, stops and starts
 * again: every request is answered from the network, the listener hears of it, the breaker keeps
 * requests from waiting on Redis, and caching resumes by itself.
 */
final class RedisOutageTest {
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  @TempDir Path dir;
  private RedisServer server;
  private LocalOrigin origin;
  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final FaultLog log = new FaultLog();
  private HttpCache cache;
  private CachedHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = RedisServer.start(dir);
    origin = new LocalOrigin(0);
    RedisStorage storage =
        RedisStorage.builder()
            .url(server.url())
            .namespace(Namespaces.random())
            .timeout(Duration.ofMillis(300))
            .backoff(BACKOFF)
            .clock(clock)
            .build();
    cache = HttpCache.builder().storage(storage).listener(log).build();
    client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
  }

  @AfterEach
  void stop() throws Exception {
    cache.close();
    origin.close();
    server.close();
  }

  /** Sends a GET, checks its body, and returns whether it came from the cache. */
  private boolean fromCache(String path) throws Exception {
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("body of " + path);
    return CachedHttpClient.metadata(response).fromCache();
  }

  @Test
  void requestsGoOnWhileRedisIsDownAndHitsComeBackWhenItReturns() throws Exception {
    List<String> paths = List.of("/a", "/b", "/c", "/d", "/e");
    int hits = 0;
    for (int round = 0; round < 3; round++) {
      for (String path : paths) {
        hits += fromCache(path) ? 1 : 0;
      }
    }
    assertThat(hits).isEqualTo(10); // the first round stores, the next two hit
    assertThat(log.faults).isEmpty();

    server.stop();
    int seen = origin.requestCount();
    for (int round = 0; round < 3; round++) {
      for (String path : paths) {
        assertThat(fromCache(path)).as("while Redis is down").isFalse();
      }
    }
    assertThat(origin.requestCount()).isEqualTo(seen + 15);
    // One request found Redis gone; every call after it was refused at once by the breaker.
    assertThat(log.faults).hasSizeGreaterThanOrEqualTo(15);
    assertThat(log.faults.get(0)).startsWith("read: Redis GET failed at " + server.url() + "/0");
    assertThat(log.faults.subList(1, log.faults.size()))
        .allSatisfy(fault -> assertThat(fault).contains("is skipped for up to 1000 ms"));

    server.startAgain(); // empty: nothing was persisted
    assertThat(fromCache("/a")).as("within the back-off Redis is still skipped").isFalse();
    int faults = log.faults.size();

    clock.advance(BACKOFF);
    assertThat(fromCache("/a")).isFalse(); // the probe: a miss in the new, empty Redis, stored
    assertThat(fromCache("/a")).isTrue();
    for (String path : paths) {
      fromCache(path);
    }
    for (String path : paths) {
      assertThat(fromCache(path)).as("after Redis returned").isTrue();
    }
    assertThat(log.faults).hasSize(faults);
  }

  @Test
  void manyThreadsKeepGettingAnswersThroughAStopAndAStart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      // Redis stops while the first 100 requests are in flight, stays down for the next 100,
      // and is back (past the back-off) for the last 100.
      List<Future<Boolean>> first = submit(pool, 0, 100);
      first.get(50).get(60, TimeUnit.SECONDS);
      server.stop();
      awaitAll(first);
      awaitAll(submit(pool, 100, 200));
      assertThat(log.faults).as("requests while Redis was down").isNotEmpty();
      server.startAgain();
      clock.advance(BACKOFF);
      awaitAll(submit(pool, 200, 300));
    } finally {
      pool.shutdownNow();
    }
    clock.advance(BACKOFF); // past any back-off a late failure may have started
    for (int i = 0; i < 20; i++) {
      fromCache("/item/" + i); // stores what the restarted, empty Redis lacks
    }
    for (int i = 0; i < 20; i++) {
      assertThat(fromCache("/item/" + i)).as("hits came back").isTrue();
    }
  }

  /** Submits requests {@code from} to {@code to}, over 20 paths. */
  private List<Future<Boolean>> submit(ExecutorService pool, int from, int to) {
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String path = "/item/" + (i % 20);
      results.add(pool.submit(() -> fromCache(path))); // checks the status and the body
    }
    return results;
  }

  /** Waits for every request: each was answered, with the right body. */
  private static void awaitAll(List<Future<Boolean>> results) throws Exception {
    for (Future<Boolean> result : results) {
      result.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRedisThatStopsAnsweringCostsOneTimeoutThenIsSkipped() throws Exception {
    assertThat(fromCache("/a")).isFalse();
    assertThat(fromCache("/a")).isTrue();

    server.signal("STOP"); // the process hangs: connections open, no reply ever comes
    try {
      assertThat(fromCache("/a")).isFalse();
      assertThat(log.faults.get(0)).contains("Read timed out");
      for (int i = 0; i < 10; i++) {
        assertThat(fromCache("/b" + i)).isFalse();
      }
      assertThat(log.faults.subList(1, log.faults.size()))
          .isNotEmpty()
          .allSatisfy(fault -> assertThat(fault).contains("is skipped"));
    } finally {
      server.signal("CONT");
    }
    clock.advance(BACKOFF);
    assertThat(fromCache("/a")).as("the entry stored before the hang").isTrue();
  }
}
