package dev.httpcache.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a real local origin, with a real client on the other side. */
final class ProxyTest {
  @StartStop private final MockWebServer origin = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Io io = new Io(new ByteArrayOutputStream(), err, UTF_8);
  private final HttpClient client = HttpClient.newHttpClient();
  private final HttpCache cache = HttpCache.standard().storage(Storage.inMemory()).build();

  @SuppressWarnings("NullAway.Init") // started before each test, once the origin is
  private Proxy proxy;

  ProxyTest() {
    answer(new MockResponse.Builder().code(200).body("hello").build());
  }

  @BeforeEach
  void start() throws IOException {
    proxy = Proxy.start(0, URI.create("http://127.0.0.1:" + origin.getPort()), cache, io, false);
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    cache.close();
  }

  private void answer(MockResponse response) {
    origin.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            return response;
          }
        });
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(proxy.uri().resolve(path)).build(), BodyHandlers.ofString());
  }

  /** Sends {@code request} as it is over a new connection and returns everything that came back. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.address().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), ISO_8859_1);
    }
  }

  @Test
  void aCacheableResponseFetchedTwiceReachesTheOriginOnce()
      throws IOException, InterruptedException {
    answer(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Cache-Control", "max-age=3600")
            .setHeader("Content-Type", "text/plain")
            .body("hello")
            .build());

    HttpResponse<String> first = get("/a?x=1");
    HttpResponse<String> second = get("/a?x=1");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("hello");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("hello");
    assertThat(second.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
    assertThat(second.headers().firstValue("Age")).isPresent();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getTarget()).isEqualTo("/a?x=1");
  }

  @Test
  void aResponseWithoutFreshnessIsFetchedEachTime() throws IOException, InterruptedException {
    get("/plain");
    get("/plain");

    assertThat(seen).hasSize(2);
  }

  @Test
  void aPostPassesThroughWithItsMethodHeadersAndBody() throws IOException, InterruptedException {
    answer(
        new MockResponse.Builder()
            .code(201)
            .setHeader("Cache-Control", "max-age=3600")
            .body("created")
            .build());
    HttpRequest post =
        HttpRequest.newBuilder(proxy.uri().resolve("/things"))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString("{\"a\": 1}"))
            .build();

    HttpResponse<String> first = client.send(post, BodyHandlers.ofString());
    HttpResponse<String> second = client.send(post, BodyHandlers.ofString());

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.body()).isEqualTo("created");
    assertThat(second.body()).isEqualTo("created");
    assertThat(seen).hasSize(2);
    for (RecordedRequest request : seen) {
      assertThat(request.getMethod()).isEqualTo("POST");
      assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
      assertThat(request.getBody().utf8()).isEqualTo("{\"a\": 1}");
    }
  }

  @Test
  void requestHeadersArriveLessHopByHopOnesWithTheOriginsHostAndAVia() throws IOException {
    String response =
        raw(
            "GET /h?q=%20x HTTP/1.1\r\n"
                + "Host: proxy.example\r\n"
                + "Connection: close\r\n"
                + "Connection: X-Hop\r\n"
                + "X-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "X-Test: a\r\n"
                + "X-Test: b\r\n"
                + "Via: 1.0 other\r\n"
                + "\r\n");

    assertThat(response).startsWith("HTTP/1.1 200 ");
    assertThat(seen).hasSize(1);
    RecordedRequest request = seen.get(0);
    assertThat(request.getTarget()).isEqualTo("/h?q=%20x");
    assertThat(request.getHeaders().values("X-Test")).containsExactly("a", "b");
    assertThat(request.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + origin.getPort());
    assertThat(request.getHeaders().get("Via")).isEqualTo("1.0 other, 1.1 httpcache");
    assertThat(request.getHeaders().names())
        .map(n -> n.toLowerCase(Locale.ROOT))
        .doesNotContain("x-hop", "keep-alive", "te");
  }

  @Test
  void responseHeadersArriveWithEveryValueLessHopByHopOnes() throws IOException {
    answer(
        new MockResponse.Builder()
            .code(200)
            .addHeader("X-Multi", "a")
            .addHeader("X-Multi", "b")
            .addHeader("Connection", "X-Hop")
            .addHeader("X-Hop", "1")
            .addHeader("Keep-Alive", "timeout=5")
            .addHeader("Set-Cookie", "a=b")
            .body("hello")
            .build());

    String response = raw("GET /r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
    assertThat(head.lines())
        .contains("x-multi: a", "x-multi: b", "set-cookie: a=b", "content-length: 5")
        .noneMatch(l -> l.startsWith("x-hop:") || l.startsWith("keep-alive:"));
    assertThat(response).endsWith("\r\n\r\nhello");
  }

  @Test
  void aHeadResponseHasNoBodyAndKeepsTheOriginsLength() throws IOException {
    answer(new MockResponse.Builder().code(200).setHeader("Content-Length", "42").build());

    String response = raw("HEAD /head HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(seen.get(0).getMethod()).isEqualTo("HEAD");
    assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n");
    assertThat(response.toLowerCase(Locale.ROOT)).contains("\r\ncontent-length: 42\r\n");
  }

  @Test
  void aNotModifiedAnswerToTheCallersConditionalRequestPassesWithoutBody()
      throws IOException, InterruptedException {
    answer(new MockResponse.Builder().code(304).setHeader("ETag", "\"v1\"").build());

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(proxy.uri().resolve("/c"))
                .header("If-None-Match", "\"v1\"")
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("ETag")).hasValue("\"v1\"");
    assertThat(seen.get(0).getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
  }

  @Test
  void anUnreachableOriginIsA502WithOneLine() throws IOException, InterruptedException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    proxy.close();
    proxy = Proxy.start(0, URI.create("http://127.0.0.1:" + closedPort), cache, io, false);

    HttpResponse<String> response = get("/x");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(response.body())
        .isEqualTo("cannot connect to http://127.0.0.1:" + closedPort + "/x: Connection refused\n");
    assertThat(err.toString(UTF_8)).contains("httpcache: warning: proxy: cannot connect to");
  }

  @Test
  void anOriginPathIsAPrefixOfEveryRequestPath() throws IOException, InterruptedException {
    proxy.close();
    proxy =
        Proxy.start(
            0, URI.create("http://127.0.0.1:" + origin.getPort() + "/base/"), cache, io, false);

    get("/a/b?c=d");

    assertThat(seen.get(0).getTarget()).isEqualTo("/base/a/b?c=d");
  }

  @Test
  void verboseNamesEachRequestAndWhereItsAnswerCameFrom() throws IOException, InterruptedException {
    answer(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Cache-Control", "max-age=3600")
            .body("hello")
            .build());
    proxy.close();
    proxy = Proxy.start(0, URI.create("http://127.0.0.1:" + origin.getPort()), cache, io, true);

    get("/v");
    get("/v");

    String prefix = "GET http://127.0.0.1:" + origin.getPort() + "/v -> 200 ";
    assertThat(err.toString(UTF_8).lines())
        .containsExactly(prefix + "(network)", prefix + "(cache)");
  }
}
