package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.httpcache.HttpCache;
import dev.httpcache.codec.Codec;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each codec plugged into a real cache in front of a real local server. */
final class HttpCacheIntegrationTest {
  private static final String BODY = "{\"id\":1,\"name\":\"caf\u00e9\"}";

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = BODY.getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @ParameterizedTest
  @MethodSource("dev.httpcache.jackson.Samples#codecs")
  void aSecondRequestIsAnsweredFromTheEntryTheCodecWrote(Codec codec) throws Exception {
    Storage storage = Storage.inMemory();
    HttpCache cache =
        HttpCache.builder()
            .storage(storage)
            .codec(codec)
            .expireAfter(Duration.ofMinutes(10))
            .build();
    CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/item?id=1");
    HttpRequest request = HttpRequest.newBuilder(uri).build();

    String first = client.send(request, BodyHandlers.ofString()).body();
    var second = client.send(request, BodyHandlers.ofString());

    assertThat(first).isEqualTo(BODY);
    assertThat(second.body()).isEqualTo(BODY);
    assertThat(CachedHttpClient.metadata(second).fromCache()).isTrue();
    assertThat(requests.get()).isEqualTo(1);
    List<String> keys = storage.keys(Storage.Namespace.RESPONSES);
    assertThat(keys).hasSize(1);
    byte[] stored = storage.get(Storage.Namespace.RESPONSES, keys.get(0)).orElseThrow();
    // The cache frames each entry with its codec's name: 'h' 'c' 'f' version length name payload.
    assertThat(new String(stored, 5, stored[4], UTF_8)).isEqualTo(codec.name());
    byte[] payload = java.util.Arrays.copyOfRange(stored, 5 + stored[4], stored.length);
    assertThat(codec.decode(keys.get(0), payload).body()).isEqualTo(BODY.getBytes(UTF_8));
    if (codec == JacksonCodecs.json()) {
      assertThat(new String(stored, UTF_8)).contains("\"json\": {\n      \"id\": 1,");
    }
    cache.close();
  }
}
