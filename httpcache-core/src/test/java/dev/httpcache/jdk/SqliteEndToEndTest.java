package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CachedHttpClient on the SQLite storage: a real file, a real origin, real processes. */
final class SqliteEndToEndTest {
  @TempDir Path dir;
  private Origin origin;
  private final FaultLog listener = new FaultLog();
  private final List<String> events = listener.events;

  @BeforeEach
  void start() throws IOException {
    origin = new Origin();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private Path file() {
    return dir.resolve("http_cache.sqlite");
  }

  private HttpCache open() throws IOException {
    return HttpCache.builder().storage(Storage.sqlite(file())).listener(listener).build();
  }

  private HttpResponse<String> send(CachedHttpClient client, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofString());
  }

  @Test
  void aResponseIsServedFromTheFileAfterTheCacheIsReopened() throws Exception {
    try (HttpCache cache = open()) {
      HttpResponse<String> miss = send(CachedHttpClient.of(cache), "/a");
      assertThat(CachedHttpClient.metadata(miss).fromCache()).isFalse();
    }
    try (HttpCache cache = open()) {
      HttpResponse<String> hit = send(CachedHttpClient.of(cache), "/a");
      assertThat(hit.body()).isEqualTo("body of /a");
      assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    }
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void manyThreadsShareOneFileAndGetTheRightBodies() throws Exception {
    try (HttpCache cache = open()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<String>> results = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
          String path = "/item/" + (i % 40);
          paths.add(path);
          results.add(pool.submit(() -> send(client, path).body()));
        }
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).get()).isEqualTo("body of " + paths.get(i));
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(cache.storage().count(Namespace.RESPONSES)).isEqualTo(40);
      assertThat(events).isEmpty();
    }
    // Concurrent identical misses may each reach the origin; after that, every request is a hit.
    int seen = origin.requestCount();
    try (HttpCache cache = open()) {
      for (int i = 0; i < 40; i++) {
        assertThat(
                CachedHttpClient.metadata(send(CachedHttpClient.of(cache), "/item/" + i))
                    .fromCache())
            .isTrue();
      }
    }
    assertThat(origin.requestCount()).isEqualTo(seen);
  }

  @Test
  void aSecondProcessGetsHitsForWhatTheFirstStored() throws Exception {
    String first = ClientProcessMain.finish(ClientProcessMain.start(file(), origin.uri("/"), 30));
    assertThat(first).isEqualTo("hits=0");
    assertThat(origin.requestCount()).isEqualTo(30);

    try (HttpCache cache = open()) {
      CachedHttpClient client = CachedHttpClient.of(cache);
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> r = send(client, "/item/" + i);
        assertThat(r.body()).isEqualTo("body of /item/" + i);
        assertThat(CachedHttpClient.metadata(r).fromCache()).isTrue();
      }
    }
    assertThat(origin.requestCount()).isEqualTo(30);
  }

  @Test
  void twoProcessesUsingOneFileAtOnceAnswerEveryRequest() throws Exception {
    Process child = ClientProcessMain.start(file(), origin.uri("/"), 120);
    try (HttpCache cache = open()) {
      CachedHttpClient client = CachedHttpClient.of(cache);
      for (int i = 119; i >= 0; i--) {
        assertThat(send(client, "/item/" + i).body()).isEqualTo("body of /item/" + i);
      }
    }
    assertThat(ClientProcessMain.finish(child)).startsWith("hits=");
    assertThat(events).isEmpty();
    try (Storage storage = Storage.sqlite(file())) {
      assertThat(storage.count(Namespace.RESPONSES)).isEqualTo(120);
    }
    // Each URL reached the origin at most once per process.
    assertThat(origin.requestCount()).isBetween(120, 240);
  }

  @Test
  void aCorruptedEntryInTheFileIsAMissThatIsReplaced() throws Exception {
    String key;
    try (HttpCache cache = open()) {
      key = CachedHttpClient.metadata(send(CachedHttpClient.of(cache), "/a")).key();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        PreparedStatement s = c.prepareStatement("UPDATE responses SET value = ? WHERE key = ?")) {
      byte[] garbage = "hcb\u0001 then garbage that is no entry".getBytes(UTF_8);
      s.setBytes(1, garbage);
      s.setString(2, key);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    try (HttpCache cache = open()) {
      CachedHttpClient client = CachedHttpClient.of(cache);
      HttpResponse<String> refetched = send(client, "/a");
      assertThat(refetched.body()).isEqualTo("body of /a");
      assertThat(CachedHttpClient.metadata(refetched).fromCache()).isFalse();
      assertThat(events).containsExactly("undecodable " + key);
      assertThat(CachedHttpClient.metadata(send(client, "/a")).fromCache()).isTrue();
    }
    assertThat(origin.requestCount()).isEqualTo(2);
  }
}
