package dev.httpcache.jdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.codec.Codec;
import dev.httpcache.codec.IntegrityException;
import dev.httpcache.codec.SecretKeys;
import dev.httpcache.model.CachedRequest;
import dev.httpcache.model.CachedResponse;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hit path remembers the last decoded response of each entry with the exact bytes it came from,
 * and the key of each bodiless request: repeated hits skip the codec, and any change of the stored
 * bytes (a newer response, a tampered entry) is decoded and checked again.
 */
final class HitMemoTest {
  /** A codec that counts its decodes around the binary codec, or another. */
  private static final class CountingCodec implements Codec {
    final Codec delegate;
    final AtomicInteger decodes = new AtomicInteger();

    CountingCodec(Codec delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public byte[] encode(String key, CachedResponse response) throws IOException {
      return delegate.encode(key, response);
    }

    @Override
    public CachedResponse decode(String key, byte[] data) throws IOException {
      decodes.incrementAndGet();
      return delegate.decode(key, data);
    }

    @Override
    public boolean authenticates() {
      return delegate.authenticates();
    }
  }

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

  private HttpResponse<String> get(CachedHttpClient client, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(origin.uri(path)).build(), BodyHandlers.ofString());
  }

  @Test
  void repeatedHitsDecodeTheEntryOnce() throws Exception {
    CountingCodec codec = new CountingCodec(Codec.binary());
    CachedHttpClient client =
        CachedHttpClient.of(
            HttpClient.newHttpClient(), HttpCache.builder().storage(storage).codec(codec).build());
    get(client, "/a");

    for (int i = 0; i < 5; i++) {
      assertThat(get(client, "/a").body()).isEqualTo("body of /a");
    }

    assertThat(codec.decodes).hasValue(1);
    assertThat(origin.requestCount()).isEqualTo(1);
  }

  @Test
  void aNewerResponseUnderTheSameKeyIsServedNotTheRememberedOne() throws Exception {
    HttpCache cache = HttpCache.builder().storage(storage).build();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    get(client, "/a");
    get(client, "/a"); // remembered

    HttpResponse<String> refreshed =
        client.send(
            HttpRequest.newBuilder(origin.uri("/a")).build(),
            BodyHandlers.ofString(),
            RequestOptions.builder().forceRefresh(true).build());
    HttpResponse<String> next = get(client, "/a");

    assertThat(refreshed.headers().firstValue("X-Serial")).hasValue("2");
    assertThat(next.headers().firstValue("X-Serial")).hasValue("2");
    assertThat(CachedHttpClient.metadata(next).fromCache()).isTrue();
  }

  @Test
  void aTamperedEntryIsCaughtAfterItWasRemembered() throws Exception {
    CountingCodec codec = new CountingCodec(Codec.signed(SecretKeys.of(SecretKeys.generate())));
    HttpCache cache = HttpCache.builder().storage(storage).codec(codec).build();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    get(client, "/a");
    get(client, "/a"); // remembered
    String key = cache.key(CachedRequest.get(origin.uri("/a")));
    byte[] stored = cache.responses().get(key).orElseThrow();
    stored[stored.length - 1] ^= 1; // one bit of the signature

    cache.responses().put(key, stored);

    assertThatThrownBy(() -> get(client, "/a"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key);
    cache.responses().put(key, "exploit!".getBytes(UTF_8));
    assertThatThrownBy(() -> get(client, "/a")).isInstanceOf(IntegrityException.class);
  }

  @Test
  void aHeadAndAGetOfOneUrlKeepTheirOwnKeys() throws Exception {
    HttpCache cache = HttpCache.builder().storage(storage).build();
    String get = cache.key(CachedRequest.get(origin.uri("/a")));
    String head =
        cache.key(
            CachedRequest.of(
                "HEAD",
                origin.uri("/a"),
                java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
                new byte[0]));

    assertThat(head).isNotEqualTo(get);
    assertThat(cache.key(CachedRequest.get(origin.uri("/a")))).isEqualTo(get);
    assertThat(cache.key(CachedRequest.get(origin.uri("/A")))).isNotEqualTo(get);
  }
}
