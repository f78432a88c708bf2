package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheEntry;
import dev.httpcache.CacheListener;
import dev.httpcache.CacheStats;
import dev.httpcache.EntryFilter;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.TestClock;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.policy.UrlPattern;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inspection and maintenance through the public API, against a real local origin, drawn from
 * requests-cache's own tests of delete (expired, older than, by URL, invalid), reset_expiration,
 * recreate_keys and copying between backends.
 */
final class MaintenanceTest {
  private final TestClock clock = new TestClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CacheListener recorder =
      new CacheListener() {
        @Override
        public void onEvicted(String key) {
          events.add("evicted " + key);
        }

        @Override
        public void onStaleServed(String key) {
          events.add("stale " + key);
        }
      };
  @TempDir Path dir;
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

  private HttpCache.Builder cache() {
    return HttpCache.builder().storage(storage).clock(clock).listener(recorder);
  }

  private static CachedHttpClient client(HttpCache cache) {
    return CachedHttpClient.of(HttpClient.newHttpClient(), cache);
  }

  private HttpResponse<String> send(CachedHttpClient client, String path)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofString());
  }

  private boolean fromCache(CachedHttpClient client, String path) throws Exception {
    return CachedHttpClient.metadata(send(client, path)).fromCache();
  }

  @Test
  void deleteExpiredRemovesOnlyExpiredEntries() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    client.send(
        HttpRequest.newBuilder(origin.uri("/short")).build(),
        BodyHandlers.ofString(),
        RequestOptions.expiringAfter(Duration.ofMinutes(1)));
    send(client, "/forever");
    clock.advance(Duration.ofMinutes(2));

    assertThat(cache.delete(EntryFilter.expired())).isEqualTo(1);

    assertThat(cache.contains(origin.uri("/short"))).isFalse();
    assertThat(fromCache(client, "/forever")).isTrue();
    assertThat(cache.responses().count()).isEqualTo(1);
  }

  @Test
  void deleteOlderThanUsesWhenTheResponseWasCreated() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/old");
    clock.advance(Duration.ofDays(1));
    send(client, "/new");

    assertThat(cache.delete(EntryFilter.olderThan(Duration.ofHours(12)))).isEqualTo(1);

    assertThat(cache.urls()).containsExactly(origin.uri("/new"));
  }

  @Test
  void deleteUrlsRemovesTheirEntriesOnly() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    send(client, "/b");

    assertThat(cache.deleteUrls(List.of(origin.uri("/a")))).isEqualTo(1);

    assertThat(fromCache(client, "/b")).isTrue();
    assertThat(fromCache(client, "/a")).isFalse();
    assertThat(origin.requestCount()).isEqualTo(3);
  }

  @Test
  void deleteRequestsAndKeysRemoveWhatTheyName() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    send(client, "/b");

    assertThat(cache.deleteRequests(List.of(CachedRequest.get(origin.uri("/a"))))).isEqualTo(1);
    String keyOfB = cache.key(CachedRequest.get(origin.uri("/b")));
    assertThat(cache.delete(keyOfB, "no-such-key")).isEqualTo(1);

    assertThat(cache.responses().count()).isZero();
  }

  @Test
  void undecodableEntriesAreListedAndDeletedButAnotherCodecsAreLeft() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/good");
    cache.responses().put("garbage", "exploit!".getBytes(UTF_8));
    // A framed entry of a codec this cache does not use: another client's, not garbage.
    byte[] foreign = {'h', 'c', 'f', 1, 5, 'o', 't', 'h', 'e', 'r', 1, 2, 3};
    cache.responses().put("foreign", foreign);

    try (Stream<CacheEntry> undecodable = cache.entries(EntryFilter.undecodable())) {
      List<CacheEntry> found = undecodable.collect(Collectors.toList());
      assertThat(found).extracting(CacheEntry::key).containsExactly("garbage");
      assertThat(found.get(0).problem()).hasValueSatisfying(p -> assertThat(p).isNotBlank());
    }
    assertThat(cache.delete(EntryFilter.undecodable())).isEqualTo(1);

    assertThat(cache.responses().keys()).hasSize(2).contains("foreign");
    assertThat(fromCache(client, "/good")).isTrue();
  }

  @Test
  void entriesStreamDecodedResponsesWithTheirExpiry() throws Exception {
    HttpCache cache = cache().expireAfter(Duration.ofHours(1)).build();
    CachedHttpClient client = client(cache);
    send(client, "/one");
    send(client, "/two");
    clock.advance(Duration.ofHours(2));
    send(client, "/three");

    try (Stream<CacheEntry> valid = cache.entries(EntryFilter.valid())) {
      assertThat(valid.map(e -> e.response().orElseThrow().uri().getPath()))
          .containsExactly("/three");
    }
    try (Stream<CacheEntry> expired = cache.entries(EntryFilter.expired())) {
      assertThat(expired.map(e -> e.response().orElseThrow().uri().getPath()))
          .containsExactlyInAnyOrder("/one", "/two");
    }
    try (Stream<CacheEntry> matching =
        cache.entries(EntryFilter.url(UrlPattern.glob("127.0.0.1:*/t*")))) {
      assertThat(matching.map(e -> e.response().orElseThrow().uri().getPath()))
          .containsExactlyInAnyOrder("/two", "/three");
    }
    try (Stream<CacheEntry> all = cache.entries(EntryFilter.all())) {
      CacheEntry first = all.findFirst().orElseThrow();
      assertThat(first.size()).isPositive();
      assertThat(first.expires()).isPresent();
    }
  }

  @Test
  void resetExpirationGivesEveryEntryANewLifetimeFromNow() throws Exception {
    HttpCache cache = cache().expireAfter(Duration.ofMinutes(1)).build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    send(client, "/b");
    clock.advance(Duration.ofMinutes(5));

    assertThat(cache.resetExpiration(ExpireAfter.of(Duration.ofHours(1)))).isEqualTo(2);
    clock.advance(Duration.ofMinutes(30));

    assertThat(fromCache(client, "/a")).isTrue();
    assertThat(fromCache(client, "/b")).isTrue();
    assertThat(origin.requestCount()).isEqualTo(2);
    assertThat(cache.resetExpiration(ExpireAfter.EXPIRE_IMMEDIATELY)).isEqualTo(2);
    assertThat(cache.delete(EntryFilter.expired())).isEqualTo(2);
    assertThatThrownBy(() -> cache.resetExpiration(ExpireAfter.FROM_HEADERS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recreateKeysMovesEntriesToTheKeysOfNewSettings() throws Exception {
    HttpCache before = cache().build();
    send(client(before), "/search?q=1&session=abc");
    HttpCache after = before.toBuilder().addIgnoredParameters("session").build();
    CachedHttpClient client = client(after);
    assertThat(after.contains(origin.uri("/search?q=1&session=abc"))).isFalse();

    assertThat(after.recreateKeys()).isEqualTo(1);

    assertThat(fromCache(client, "/search?q=1&session=other")).isTrue();
    assertThat(origin.requestCount()).isEqualTo(1);
    assertThat(after.recreateKeys()).isZero(); // nothing left to move
  }

  @Test
  void recreateKeysLeavesEntriesKeyedByASecretInPlace() throws Exception {
    HttpCache cache = cache().matchHeaders("Authorization").build();
    CachedHttpClient client = client(cache);
    HttpRequest alice =
        HttpRequest.newBuilder(origin.uri("/me")).header("Authorization", "Bearer alice").build();
    client.send(alice, BodyHandlers.ofString());

    assertThat(cache.recreateKeys()).isZero();

    assertThat(CachedHttpClient.metadata(client.send(alice, BodyHandlers.ofString())).fromCache())
        .isTrue();
    HttpRequest bob =
        HttpRequest.newBuilder(origin.uri("/me")).header("Authorization", "Bearer bob").build();
    assertThat(CachedHttpClient.metadata(client.send(bob, BodyHandlers.ofString())).fromCache())
        .isFalse();
  }

  @Test
  void copyToAnotherStorageCarriesHitsAcrossBackends() throws Exception {
    HttpCache cache = cache().expireAfter(Duration.ofHours(1)).build();
    send(client(cache), "/a");
    send(client(cache), "/b");
    Path file = dir.resolve("copy.sqlite");
    try (Storage sqlite = Storage.sqlite(file)) {
      assertThat(cache.copyTo(sqlite)).isEqualTo(2);
    }
    try (HttpCache fromFile = cache().storage(Storage.sqlite(file)).build()) {
      CachedHttpClient client = client(fromFile);
      assertThat(fromCache(client, "/a")).isTrue();
      assertThat(fromCache(client, "/b")).isTrue();
      try (Storage back = Storage.inMemory()) {
        assertThat(fromFile.copyTo(back)).isEqualTo(2);
        assertThat(back.count(Storage.Namespace.RESPONSES)).isEqualTo(2);
      }
    }
    assertThat(origin.requestCount()).isEqualTo(2);
  }

  @Test
  void statsCountWhatHappened() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    send(client, "/a");
    send(client, "/a");
    send(client, "/b");

    CacheStats stats = cache.stats();
    assertThat(stats.entries()).isEqualTo(2);
    assertThat(stats.bytes()).isPositive();
    assertThat(stats.hits()).isEqualTo(2);
    assertThat(stats.misses()).isEqualTo(2);
    assertThat(stats.stored()).isEqualTo(2);
    assertThat(stats.errors()).isZero();
    assertThat(stats.hitRate()).isEqualTo(0.5);
  }

  @Test
  void aStaleAnswerIsCountedAndHeard() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .code(200)
                .setHeader("Cache-Control", "max-age=60, stale-while-revalidate=600")
                .body("fresh")
                .build());
    HttpCache cache = HttpCache.standard().storage(storage).clock(clock).listener(recorder).build();
    CachedHttpClient client = client(cache);
    send(client, "/swr");
    clock.advance(Duration.ofMinutes(2));

    send(client, "/swr");

    assertThat(cache.stats().staleServed()).isEqualTo(1);
    assertThat(events).anyMatch(e -> e.startsWith("stale "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite", "filesystem"})
  void maxEntriesEvictsTheLeastRecentlyUsed(String kind) throws Exception {
    Storage bounded =
        kind.equals("memory")
            ? storage
            : kind.equals("sqlite")
                ? Storage.sqlite(dir.resolve("lru.sqlite"))
                : Storage.filesystem(dir.resolve("lru"));
    try (HttpCache cache = cache().storage(bounded).maxEntries(3).build()) {
      CachedHttpClient client = client(cache);
      send(client, "/1");
      StorageTimes.pause();
      send(client, "/2");
      StorageTimes.pause();
      send(client, "/3");
      StorageTimes.pause();
      assertThat(fromCache(client, "/1")).isTrue(); // /1 is now the most recently used
      StorageTimes.pause();

      send(client, "/4");

      assertThat(cache.stats().entries()).isEqualTo(3);
      assertThat(cache.stats().evictions()).isEqualTo(1);
      assertThat(events)
          .containsExactly("evicted " + cache.key(CachedRequest.get(origin.uri("/2"))));
      assertThat(fromCache(client, "/1")).isTrue();
      assertThat(fromCache(client, "/3")).isTrue();
      assertThat(fromCache(client, "/4")).isTrue();
      assertThat(cache.contains(origin.uri("/2"))).isFalse();
    }
  }

  @Test
  void maxBytesBoundsTheStoredSize() throws Exception {
    origin.answer(r -> new MockResponse.Builder().code(200).body("x".repeat(1_000)).build());
    HttpCache cache = cache().maxBytes(5_000).build();
    CachedHttpClient client = client(cache);
    for (int i = 0; i < 20; i++) {
      send(client, "/" + i);
    }
    assertThat(cache.stats().bytes()).isLessThanOrEqualTo(5_000);
    assertThat(cache.stats().entries()).isBetween(1L, 4L);
    assertThat(fromCache(client, "/19")).isTrue();
  }

  @Test
  void boundsNeedAStorageThatTracksUse() {
    // A storage that only forwards the SPI's core methods does not track use.
    Storage untracked = new RecordingStorage(Storage.inMemory(), new CopyOnWriteArrayList<>());
    assertThatThrownBy(() -> HttpCache.builder().storage(untracked).maxEntries(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxmemory");
    assertThatThrownBy(() -> HttpCache.builder().maxBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAliasWhoseEntryWasDeletedIsPruned() throws Exception {
    origin.answer(
        r ->
            r.getUrl().encodedPath().equals("/from")
                ? new MockResponse.Builder().code(302).setHeader("Location", "/to").build()
                : new MockResponse.Builder().code(200).body("target").build());
    HttpCache cache = cache().build();
    CachedHttpClient client =
        CachedHttpClient.of(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(), cache);
    send(client, "/from");
    assertThat(cache.redirects().count()).isPositive();

    cache.deleteRequests(List.of(CachedRequest.get(origin.uri("/from"))));

    assertThat(cache.redirects().count()).isZero();
    assertThat(cache.responses().count()).isZero();
  }

  @Test
  void expiredEntriesArePurgedInTheBackground() throws Exception {
    try (HttpCache cache =
        cache()
            .expireAfter(Duration.ofMinutes(1))
            .purgeExpiredEvery(Duration.ofMillis(5))
            .build()) {
      send(client(cache), "/a");
      clock.advance(Duration.ofMinutes(2));
      // The purge runs on its own thread: wait for it, bounded.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (cache.responses().count() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(cache.responses().count()).isZero();
    }
  }

  @Test
  void theRawViewReadsAndWritesBytes() throws Exception {
    HttpCache cache = cache().build();
    CachedHttpClient client = client(cache);
    send(client, "/a");
    String key = cache.key(CachedRequest.get(origin.uri("/a")));
    assertThat(cache.responses().keys()).containsExactly(key);
    assertThat(cache.responses().get(key)).isPresent();

    cache.responses().put(key, "exploit!".getBytes(UTF_8));

    assertThat(fromCache(client, "/a")).isFalse(); // undecodable: a miss, refetched
    assertThat(origin.requestCount()).isEqualTo(2);
    URI other = origin.uri("/b");
    assertThat(cache.contains(other)).isFalse();
  }
}
