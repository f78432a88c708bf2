package dev.httpcache.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheListener;
import dev.httpcache.EntryFilter;
import dev.httpcache.HttpCache;
import dev.httpcache.TestClock;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.reliability.FaultyStorage.Fault;
import dev.httpcache.reliability.FaultyStorage.Op;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A storage that fails chosen operations under a running cache: every request is still answered
 * with the origin's body, the listener hears of every fault the storage caused (exactly as many),
 * and caching resumes when the storage recovers.
 *
 * <p>Each scenario runs three phases against a real local origin: healthy (ten responses stored),
 * faulty (four threads send 60 GETs over twenty URLs, half through {@code sendAsync}, then a DELETE
 * that invalidates; a hanging storage, behind {@code Storage.withTimeout} of 250 ms, gets 12), and
 * recovered (every URL twice: the second round is all hits, and no fault is heard any more).
 */
final class FaultsTest {
  private static final int STORED = 10;
  private static final int URLS = 20;

  private MockWebServer origin;
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final TestClock clock = new TestClock();

  @BeforeEach
  void start() throws IOException {
    origin = new MockWebServer();
    origin.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (request.getMethod().equals("DELETE")) {
              return new MockResponse.Builder().code(204).build();
            }
            return new MockResponse.Builder().body("body of " + request.getTarget()).build();
          }
        });
    origin.start();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private URI uri(int i) {
    return URI.create("http://127.0.0.1:" + origin.getPort() + "/p/" + i);
  }

  static Stream<Arguments> scenarios() {
    Set<Op> all = EnumSet.allOf(Op.class);
    return Stream.of(
        Arguments.of("reads fail with IOException", EnumSet.of(Op.GET), Fault.IO, 1),
        Arguments.of("reads fail with IllegalStateException", EnumSet.of(Op.GET), Fault.RUNTIME, 1),
        Arguments.of(
            "reads fail with UncheckedIOException", EnumSet.of(Op.GET), Fault.UNCHECKED_IO, 1),
        Arguments.of("writes fail", EnumSet.of(Op.PUT), Fault.IO, 1),
        Arguments.of("removes fail", EnumSet.of(Op.REMOVE), Fault.IO, 1),
        Arguments.of("every third call fails", all, Fault.IO, 3),
        Arguments.of("every call fails", all, Fault.RUNTIME, 1),
        Arguments.of(
            "reads and writes hang past the timeout", EnumSet.of(Op.GET, Op.PUT), Fault.HANG, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyRequestIsAnsweredEveryFaultIsHeardAndCachingResumes(
      String name, Set<Op> ops, Fault fault, int every) throws Exception {
    FaultyStorage faulty = new FaultyStorage(Storage.inMemory());
    // A hanging storage needs the opt-in timeout; the others are used as they are.
    Storage storage =
        fault == Fault.HANG ? Storage.withTimeout(faulty, Duration.ofMillis(250)) : faulty;
    try (HttpCache cache =
        HttpCache.builder()
            .storage(storage)
            .clock(clock)
            .expireAfter(Duration.ofHours(1))
            .listener(
                new CacheListener() {
                  @Override
                  public void onStorageFault(String operation, IOException error) {
                    faults.add(operation + ": " + error.getMessage());
                  }
                })
            .build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);

      // Healthy: ten responses are stored, and hit.
      for (int i = 0; i < STORED; i++) {
        assertThat(fromCache(client, i, false)).isFalse();
        assertThat(fromCache(client, i, true)).isTrue();
      }
      assertThat(faults).isEmpty();

      // Faulty: four threads, 60 requests, each answered with the origin's body.
      faulty.fail(ops, fault, every);
      List<Boolean> answers = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> work = new ArrayList<>();
        // Hanging calls hold threads of the timeout's pool until the storage recovers: 12 requests
        // hold at most 24 of its 64, so that none is refused (TimeoutStorageTest covers that).
        int requests = fault == Fault.HANG ? 12 : 60;
        for (int n = 0; n < requests; n++) {
          int i = n % URLS;
          boolean async = n % 2 == 0;
          work.add(pool.submit(() -> fromCache(client, i, async)));
        }
        for (Future<Boolean> f : work) {
          answers.add(f.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      if (ops.contains(Op.GET) && every == 1) {
        assertThat(answers).as(name + ": every answer from the network").containsOnly(false);
      }
      HttpResponse<String> deleted =
          client.send(HttpRequest.newBuilder(uri(0)).DELETE().build(), BodyHandlers.ofString());
      assertThat(deleted.statusCode()).isEqualTo(204);

      assertThat(faulty.injected()).as(name + ": faults caused").isPositive();
      assertThat(faults)
          .as(name + ": one fault heard per fault caused")
          .hasSize((int) faulty.injected());
      if (fault == Fault.HANG) {
        assertThat(faults).allMatch(f -> f.contains("took longer than 250 ms"));
      }
      if (ops.contains(Op.REMOVE)) {
        // The DELETE's invalidation failed: the listener heard it.
        assertThat(faults).anyMatch(f -> f.startsWith("invalidate: "));
      }

      // Recovered: caching resumes, and no fault is heard any more.
      faulty.recover();
      int heard = faults.size();
      for (int i = 0; i < URLS; i++) {
        fromCache(client, i, false);
      }
      for (int i = 0; i < URLS; i++) {
        assertThat(fromCache(client, i, i % 2 == 0))
            .as(name + ": /p/" + i + " after recovery")
            .isTrue();
      }
      assertThat(faults).hasSize(heard);
    }
  }

  /** Sends a GET, checks status and body, and returns whether it came from the cache. */
  private boolean fromCache(CachedHttpClient client, int i, boolean async) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(i)).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> response =
        async
            ? client.sendAsync(request, BodyHandlers.ofString()).get(60, TimeUnit.SECONDS)
            : client.send(request, BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("body of /p/" + i);
    return CachedHttpClient.metadata(response).fromCache();
  }

  /**
   * What is not on a request's path raises the storage's fault to its caller instead of failing
   * open: statistics, listing and maintenance. {@code contains} answers false and reports it.
   */
  @Test
  void inspectionAndMaintenanceRaiseTheStoragesFaults() throws Exception {
    FaultyStorage faulty = new FaultyStorage(Storage.inMemory());
    try (HttpCache cache =
        HttpCache.builder()
            .storage(faulty)
            .listener(
                new CacheListener() {
                  @Override
                  public void onStorageFault(String operation, IOException error) {
                    faults.add(operation);
                  }
                })
            .build()) {
      CachedHttpClient.of(HttpClient.newHttpClient(), cache)
          .send(HttpRequest.newBuilder(uri(1)).build(), BodyHandlers.ofString());
      faulty.fail(EnumSet.allOf(Op.class), Fault.IO, 1);
      assertThatThrownBy(cache::stats).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> cache.delete(EntryFilter.expired())).isInstanceOf(IOException.class);
      assertThatThrownBy(cache::clear).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> cache.entries(EntryFilter.all()).count())
          .isInstanceOf(UncheckedIOException.class);
      assertThat(faults).isEmpty();
      assertThat(cache.contains(uri(1))).isFalse();
      assertThat(faults).containsExactly("read");
      faulty.recover();
      assertThat(cache.contains(uri(1))).isTrue();
    }
  }
}
