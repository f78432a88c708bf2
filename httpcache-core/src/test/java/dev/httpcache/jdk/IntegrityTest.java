package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.CacheListener;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.codec.Codec;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed and encrypted entries through CachedHttpClient: the seed's demonstration, and more. */
final class IntegrityTest {
  private static final SecretKeys KEY_A = SecretKeys.of(SecretKeys.generate());
  private static final SecretKeys KEY_B = SecretKeys.of(SecretKeys.generate());

  @TempDir Path dir;
  private Origin origin;
  private Storage storage;
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final CacheListener listener =
      new CacheListener() {
        @Override
        public void onIntegrityFailure(String key, IntegrityException error) {
          failures.add(key);
        }
      };

  @BeforeEach
  void start() throws IOException {
    origin = new Origin();
    storage = Storage.sqlite(dir.resolve("http_cache.sqlite"));
  }

  @AfterEach
  void stop() throws IOException {
    origin.close();
    storage.close();
  }

  private CachedHttpClient client(Codec codec) {
    return CachedHttpClient.of(
        HttpClient.newHttpClient(),
        HttpCache.builder().storage(storage).codec(codec).listener(listener).build());
  }

  private HttpResponse<String> get(CachedHttpClient client) throws Exception {
    return client.send(HttpRequest.newBuilder(origin.uri("/get")).build(), BodyHandlers.ofString());
  }

  /**
   * The seed's demonstration: a client signing with key A caches a response; a second client with
   * key B overwrites that entry; the first client's next request raises the integrity error.
   */
  @Test
  void anEntryOverwrittenByAClientWithAnotherKeyRaises() throws Exception {
    CachedHttpClient session = client(Codec.signed(KEY_A));
    String key = CachedHttpClient.metadata(get(session)).key();
    assertThat(CachedHttpClient.metadata(get(session)).fromCache()).isTrue();

    CachedHttpClient session2 = client(Codec.signed(KEY_B));
    session2.send(
        HttpRequest.newBuilder(origin.uri("/get")).build(),
        BodyHandlers.ofString(),
        RequestOptions.builder().forceRefresh(true).build());

    assertThatThrownBy(() -> get(session))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("a key this cache does not hold");
    assertThat(failures).containsExactly(key);
  }

  /** The same, by raw access to the store: the entry becomes "exploit!". */
  @Test
  void anEntryOverwrittenThroughTheStoreRaisesFromSendAndSendAsync() throws Exception {
    CachedHttpClient session = client(Codec.signed(KEY_A));
    String key = CachedHttpClient.metadata(get(session)).key();
    List<String> keys = storage.keys(Namespace.RESPONSES);
    storage.put(Namespace.RESPONSES, keys.get(0), "exploit!".getBytes(UTF_8), null);

    assertThatThrownBy(() -> get(session))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("cache entry " + key + " failed its integrity check");
    assertThatThrownBy(
            () ->
                session
                    .sendAsync(
                        HttpRequest.newBuilder(origin.uri("/get")).build(), BodyHandlers.ofString())
                    .get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IntegrityException.class);
    // The entry is kept, and the origin was not asked again.
    assertThat(storage.get(Namespace.RESPONSES, key))
        .hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("exploit!"));
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void aSettingTurnsAnIntegrityFailureIntoARefetch() throws Exception {
    CachedHttpClient session =
        CachedHttpClient.of(
            HttpClient.newHttpClient(),
            HttpCache.builder()
                .storage(storage)
                .codec(Codec.signed(KEY_A))
                .listener(listener)
                .refetchOnIntegrityFailure(true)
                .build());
    String key = CachedHttpClient.metadata(get(session)).key();
    storage.put(Namespace.RESPONSES, key, "exploit!".getBytes(UTF_8), null);

    HttpResponse<String> refetched = get(session);

    assertThat(refetched.body()).isEqualTo("body of /get");
    assertThat(CachedHttpClient.metadata(refetched).fromCache()).isFalse();
    assertThat(failures).containsExactly(key);
    assertThat(CachedHttpClient.metadata(get(session)).fromCache()).isTrue();
  }

  @Test
  void anEntryOfAnotherCodecIsAMissNotAnError() throws Exception {
    get(client(Codec.binary()));
    HttpResponse<String> offline =
        client(Codec.signed(KEY_A))
            .send(
                HttpRequest.newBuilder(origin.uri("/get")).build(),
                BodyHandlers.ofString(),
                RequestOptions.builder().onlyIfCached(true).build());
    assertThat(offline.statusCode()).isEqualTo(504);
    // Left alone: the client that wrote it still reads it.
    assertThat(CachedHttpClient.metadata(get(client(Codec.binary()))).fromCache()).isTrue();
    HttpResponse<String> signed = get(client(Codec.signed(KEY_A)));
    assertThat(CachedHttpClient.metadata(signed).fromCache()).isFalse();
    assertThat(failures).isEmpty();
    assertThat(CachedHttpClient.metadata(get(client(Codec.signed(KEY_A)))).fromCache()).isTrue();
    // And back: the unsigned client does not misread the signed entry.
    assertThat(CachedHttpClient.metadata(get(client(Codec.binary()))).fromCache()).isFalse();
  }

  @Test
  void aTamperedRedirectAliasIsCaught() throws Exception {
    origin.answer(
        r ->
            r.getTarget().startsWith("/old")
                ? new MockResponse.Builder().code(301).addHeader("Location", "/new").build()
                : new MockResponse.Builder().body("content of " + r.getTarget()).build());
    CachedHttpClient session =
        CachedHttpClient.of(
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
            HttpCache.builder()
                .storage(storage)
                .codec(Codec.signed(KEY_A))
                .listener(listener)
                .build());
    session.send(HttpRequest.newBuilder(origin.uri("/old")).build(), BodyHandlers.ofString());
    String other =
        CachedHttpClient.metadata(
                session.send(
                    HttpRequest.newBuilder(origin.uri("/other")).build(), BodyHandlers.ofString()))
            .key();
    String alias = storage.keys(Namespace.REDIRECTS).get(0);
    storage.put(Namespace.REDIRECTS, alias, other.getBytes(UTF_8), null);

    assertThatThrownBy(
            () ->
                session.send(
                    HttpRequest.newBuilder(origin.uri("/new")).build(), BodyHandlers.ofString()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("redirect alias");
  }

  @Test
  void encryptedEntriesRevealNothingOfUrlHeadersOrBody() throws Exception {
    origin.answer(
        r ->
            new MockResponse.Builder()
                .addHeader("X-Visible-Header", "header-value-visible")
                .body("a body string that must stay hidden")
                .build());
    CachedHttpClient session = client(Codec.encrypted(KEY_A));
    session.send(
        HttpRequest.newBuilder(origin.uri("/a-very-distinct-path?query=distinct-query")).build(),
        BodyHandlers.ofString());
    HttpResponse<String> hit =
        session.send(
            HttpRequest.newBuilder(origin.uri("/a-very-distinct-path?query=distinct-query"))
                .build(),
            BodyHandlers.ofString());
    assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
    assertThat(hit.body()).isEqualTo("a body string that must stay hidden");

    StringBuilder raw = new StringBuilder(StoredBytes.of(storage));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        raw.append(new String(Files.readAllBytes(f), ISO_8859_1));
      }
    }
    assertThat(raw.toString())
        .doesNotContain("a-very-distinct-path")
        .doesNotContain("distinct-query")
        .doesNotContain("header-value-visible")
        .doesNotContain("X-Visible-Header")
        .doesNotContain("must stay hidden")
        .doesNotContain("127.0.0.1");
  }

  @Test
  void theIntegrityErrorNeverNamesASecret() throws Exception {
    byte[] secret = SecretKeys.generate();
    CachedHttpClient session = client(Codec.signed(SecretKeys.of(secret)));
    String key = CachedHttpClient.metadata(get(session)).key();
    storage.put(Namespace.RESPONSES, key, "exploit!".getBytes(UTF_8), null);
    assertThatThrownBy(() -> get(session))
        .isInstanceOf(IntegrityException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(Base64.getEncoder().encodeToString(secret))
                    .doesNotContain(java.util.HexFormat.of().formatHex(secret))
                    .doesNotContain("exploit"));
  }
}
