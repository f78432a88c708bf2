package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy forwarding through OkHttp's {@code CacheInterceptor}, against a real local origin. */
final class ProxyOkHttpTest {
  @StartStop private final MockWebServer origin = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Io io = new Io(new ByteArrayOutputStream(), err, UTF_8);
  private final HttpClient client = HttpClient.newHttpClient();
  private final HttpCache cache = HttpCache.standard().storage(Storage.inMemory()).build();

  @SuppressWarnings("NullAway.Init") // started by each test
  private Proxy proxy;

  private void start(MockResponse response, boolean verbose) throws IOException {
    origin.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            return response;
          }
        });
    proxy =
        Proxy.start(
            0,
            URI.create("http://127.0.0.1:" + origin.getPort()),
            cache,
            io,
            verbose,
            Proxy.Client.OKHTTP);
  }

  @AfterEach
  void stop() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    cache.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(proxy.uri().resolve(path));
  }

  @Test
  void aFreshResponseFetchedTwiceReachesTheOriginOnce() throws Exception {
    start(
        new MockResponse.Builder()
            .setHeader("Cache-Control", "max-age=3600")
            .setHeader("Content-Type", "text/plain")
            .body("hello")
            .build(),
        true);

    HttpResponse<String> first = send(to("/a?x=1"));
    HttpResponse<String> second = send(to("/a?x=1"));

    assertThat(first.body()).isEqualTo("hello");
    assertThat(second.body()).isEqualTo("hello");
    assertThat(second.headers().firstValue("Age")).isPresent();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getTarget()).isEqualTo("/a?x=1");
    assertThat(seen.get(0).getHeaders().get("Via")).isEqualTo("1.1 httpcache");
    assertThat(err.toString(UTF_8))
        .contains("GET http://127.0.0.1:" + origin.getPort() + "/a?x=1 -> 200 (network)")
        .contains("-> 200 (cache)");
  }

  @Test
  void aPostBodyAndItsContentTypeReachTheOriginAsSent() throws Exception {
    start(new MockResponse.Builder().code(201).body("made").build(), false);

    HttpResponse<String> made =
        send(
            to("/items")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"a\":1}")));

    assertThat(made.statusCode()).isEqualTo(201);
    assertThat(seen.get(0).getMethod()).isEqualTo("POST");
    assertThat(seen.get(0).getBody().utf8()).isEqualTo("{\"a\":1}");
    assertThat(seen.get(0).getHeaders().get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    start(new MockResponse.Builder().code(302).setHeader("Location", "/elsewhere").build(), false);
    HttpResponse<String> redirect = send(to("/moved"));
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location")).hasValue("/elsewhere");
    assertThat(seen).hasSize(1);
  }

  @Test
  void anOriginThatCannotBeReachedGives502() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    proxy =
        Proxy.start(
            0, URI.create("http://127.0.0.1:" + closedPort), cache, io, false, Proxy.Client.OKHTTP);
    HttpResponse<String> failed = send(to("/x"));
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(err.toString(UTF_8)).contains("proxy:");
  }
}
