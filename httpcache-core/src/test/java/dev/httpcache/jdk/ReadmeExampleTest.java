package dev.httpcache.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.policy.ExpireAfter;
import dev.httpcache.storage.Storage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example, as written there, against a local origin. */
final class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void theReadmeExampleRuns() throws Exception {
    try (Origin origin = new Origin()) {
      HttpRequest request = HttpRequest.newBuilder(origin.uri("/api")).build();

      HttpCache cache =
          HttpCache.builder()
              .storage(Storage.sqlite(dir.resolve("http_cache.sqlite")))
              .expireAfter(Duration.ofMinutes(10))
              .urlExpireAfter("api.example.com/static", ExpireAfter.NEVER_EXPIRE)
              .urlExpireAfter("*.example.com/live", ExpireAfter.DO_NOT_CACHE)
              .build();
      CachedHttpClient client = CachedHttpClient.of(HttpClient.newHttpClient(), cache);

      HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
      CacheMetadata meta = CachedHttpClient.metadata(response);
      client.send(request, BodyHandlers.ofString(), RequestOptions.SKIP_CACHE);

      HttpResponse<String> hit = client.send(request, BodyHandlers.ofString());
      assertThat(meta.fromCache()).isFalse();
      assertThat(meta.expires()).contains(meta.createdAt().plus(Duration.ofMinutes(10)));
      assertThat(CachedHttpClient.metadata(hit).fromCache()).isTrue();
      assertThat(hit.body()).isEqualTo("body of /api");
      assertThat(origin.requestCount()).isEqualTo(2);
      cache.close();
    }
  }
}
