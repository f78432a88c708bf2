package dev.httpcache.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON codec over the filesystem storage: every cached response is a file that any JSON parser
 * reads, with no httpcache code involved.
 */
final class FilesystemJsonFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/items/",
        exchange -> {
          requests.incrementAndGet();
          String id = exchange.getRequestURI().getPath().substring("/items/".length());
          byte[] body = ("{\"id\":" + id + ",\"name\":\"caf\u00e9\"}").getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/hello",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = "hello, world\n".getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
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

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void everyResponseFileIsAJsonDocumentWithItsUrlAndBody() throws Exception {
    Path cacheDir = dir.resolve("http-cache");
    List<URI> uris = List.of(uri("/items/1"), uri("/items/2"), uri("/hello"));
    try (HttpCache cache =
        HttpCache.builder()
            .storage(Storage.filesystem(cacheDir))
            .codec(JacksonCodecs.json())
            .expireAfter(Duration.ofMinutes(10))
            .build()) {
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
      for (URI uri : uris) {
        client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
      }
      HttpResponse<String> again =
          client.send(HttpRequest.newBuilder(uris.get(0)).build(), BodyHandlers.ofString());
      assertThat(CachedHttpClient.metadata(again).fromCache()).isTrue();
      assertThat(again.body()).isEqualTo("{\"id\":1,\"name\":\"caf\u00e9\"}");
    }
    assertThat(requests.get()).isEqualTo(3);

    List<Path> files;
    try (Stream<Path> walk = Files.walk(cacheDir.resolve("responses"))) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    assertThat(files).hasSize(3).allMatch(f -> f.getFileName().toString().endsWith(".json"));
    Map<String, JsonNode> byUri = new HashMap<>();
    for (Path file : files) {
      // Plain Jackson on the file as it lies on the disk: no frame, no httpcache code.
      JsonNode document = JSON.readTree(file.toFile());
      assertThat(document.at("/format").asText()).isEqualTo("httpcache-entry");
      byUri.put(document.at("/uri").asText(), document);
    }
    assertThat(byUri).containsOnlyKeys(uris.stream().map(URI::toString).toArray(String[]::new));
    JsonNode first = Objects.requireNonNull(byUri.get(uris.get(0).toString()));
    assertThat(first.at("/status").asInt()).isEqualTo(200);
    assertThat(first.at("/body/json/id").asInt()).isEqualTo(1);
    assertThat(first.at("/body/json/name").asText()).isEqualTo("caf\u00e9");
    assertThat(Objects.requireNonNull(byUri.get(uris.get(1).toString())).at("/body/json/id"))
        .hasToString("2");
    assertThat(Objects.requireNonNull(byUri.get(uris.get(2).toString())).at("/body/text").asText())
        .isEqualTo("hello, world\n");
  }
}
