package dev.httpcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import dev.httpcache.testing.Snippets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Spring's {@link RestClient} over {@link CachedHttpClient}, through Spring's {@link
 * JdkClientHttpRequestFactory}: the example of docs/integrations.md, run against a real origin.
 */
final class SpringRestClientExampleTest {
  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            seen.add(request);
            return new MockResponse.Builder()
                .addHeader("Content-Type", "text/plain")
                .body("item " + request.getUrl().pathSegments().get(1) + " #" + seen.size())
                .build();
          }
        });
    server.start(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theDocumentedRestClientExampleCachesThroughCachedHttpClient() throws Exception {
    String baseUrl = server.url("/").toString();
    Path cacheFile = dir.resolve("http_cache.sqlite");

    // [spring-example]
    HttpCache cache =
        HttpCache.builder()
            .storage(Storage.sqlite(cacheFile))
            .expireAfter(Duration.ofMinutes(10))
            .build();
    CachedHttpClient http = CachedHttpClient.of(HttpClient.newHttpClient(), cache);
    RestClient rest =
        RestClient.builder()
            .requestFactory(new JdkClientHttpRequestFactory(http))
            .baseUrl(baseUrl)
            .build();

    String first = rest.get().uri("/items/{id}", 42).retrieve().body(String.class); // network
    String second = rest.get().uri("/items/{id}", 42).retrieve().body(String.class); // cache

    // Cache options for every request of a RestClient: one over a view of the same client.
    RequestOptions refresh = RequestOptions.builder().forceRefresh(true).build();
    RestClient refreshing =
        rest.mutate()
            .requestFactory(new JdkClientHttpRequestFactory(http.withOptions(refresh)))
            .build();
    String third = refreshing.get().uri("/items/{id}", 42).retrieve().body(String.class); // network
    // [/spring-example]

    assertThat(first).isEqualTo("item 42 #1");
    assertThat(second).isEqualTo("item 42 #1");
    assertThat(third).isEqualTo("item 42 #2");
    assertThat(seen).hasSize(2);
    ResponseEntity<String> entity =
        rest.get().uri("/items/{id}", 42).retrieve().toEntity(String.class);
    assertThat(entity.getBody()).isEqualTo("item 42 #2");
    assertThat(entity.getHeaders().getContentType()).hasToString("text/plain");
    assertThat(seen).hasSize(2);
    cache.close();
  }

  @Test
  void theDocsShowThisExampleVerbatim() throws IOException {
    assertThat(Snippets.inDocs("docs/integrations.md", "spring-example"))
        .isEqualTo(Snippets.inSource(getClass(), "spring-example"));
  }
}
