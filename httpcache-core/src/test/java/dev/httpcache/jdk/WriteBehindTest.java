package dev.httpcache.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.CacheListener;
import dev.httpcache.HttpCache;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes handed to the storage in the background, in batches, against a real SQLite file. */
final class WriteBehindTest {
  @TempDir Path dir;
  private Origin origin;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CacheListener listener =
      new CacheListener() {
        @Override
        public void onStorageFault(String operation, IOException error) {
          events.add("fault " + operation);
        }

        @Override
        public void onEvicted(String key) {
          events.add("evicted");
        }
      };

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

  private HttpCache cache() throws IOException {
    return HttpCache.builder()
        .storage(Storage.sqlite(file()))
        .writeBehind(true)
        .listener(listener)
        .build();
  }

  private static HttpResponse<String> get(CachedHttpClient client, java.net.URI uri)
      throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
  }

  @Test
  void aStoredResponseIsAHitAtOnceInThisProcess() throws Exception {
    try (HttpCache cache = cache()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      get(client, origin.uri("/a"));
      HttpResponse<String> again = get(client, origin.uri("/a"));

      assertThat(CachedHttpClient.metadata(again).fromCache()).isTrue();
      assertThat(again.body()).isEqualTo("body of /a");
      assertThat(origin.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void everyWriteReachesTheFileByFlushOrClose() throws Exception {
    HttpCache cache = cache();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    for (int i = 0; i < 40; i++) {
      get(client, origin.uri("/" + i));
    }
    cache.flush();
    try (Storage other = Storage.sqlite(file())) {
      assertThat(other.count(Namespace.RESPONSES)).isEqualTo(40);
    }
    get(client, origin.uri("/last"));
    cache.close();

    try (Storage reopened = Storage.sqlite(file())) {
      assertThat(reopened.count(Namespace.RESPONSES)).isEqualTo(41);
    }
    assertThat(events).isEmpty();
  }

  @Test
  void countsAndListingsSeeWritesNotYetHandedOver() throws Exception {
    try (HttpCache cache = cache()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (int i = 0; i < 30; i++) {
        get(client, origin.uri("/" + i));
      }
      assertThat(cache.stats().entries()).isEqualTo(30);
      assertThat(cache.urls()).hasSize(30);
    }
  }

  @Test
  void anInvalidatedEntryIsNeverWrittenBack() throws Exception {
    try (HttpCache cache = cache()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (int i = 0; i < 25; i++) {
        get(client, origin.uri("/x"));
        client.send(
            HttpRequest.newBuilder(origin.uri("/x")).POST(BodyPublishers.ofString("v")).build(),
            BodyHandlers.ofString());
      }
      cache.flush();
      String key = cache.key(CachedRequest.get(origin.uri("/x")));

      try (Storage other = Storage.sqlite(file())) {
        assertThat(other.get(Namespace.RESPONSES, key)).isEmpty();
      }
      assertThat(CachedHttpClient.metadata(get(client, origin.uri("/x"))).fromCache()).isFalse();
    }
  }

  @Test
  void aStorageThatFailsIsHeardAndRequestsAreStillAnswered() throws Exception {
    try (HttpCache cache =
        HttpCache.builder()
            .storage(new BrokenStorage())
            .writeBehind(true)
            .listener(listener)
            .build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      HttpResponse<String> first = get(client, origin.uri("/a"));
      cache.flush();

      assertThat(first.body()).isEqualTo("body of /a");
      assertThat(events).contains("fault write");
      assertThat(get(client, origin.uri("/a")).body()).isEqualTo("body of /a");
    }
  }

  @Test
  void boundsHoldAndEvictionsAreHeard() throws Exception {
    try (HttpCache cache =
        HttpCache.builder()
            .storage(Storage.sqlite(file()))
            .writeBehind(true)
            .maxEntries(5)
            .listener(listener)
            .build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (int i = 0; i < 20; i++) {
        get(client, origin.uri("/" + i));
      }
      cache.flush();

      assertThat(cache.stats().entries()).isLessThanOrEqualTo(5);
      assertThat(events).filteredOn("evicted"::equals).hasSizeGreaterThanOrEqualTo(15);
    }
  }
}
