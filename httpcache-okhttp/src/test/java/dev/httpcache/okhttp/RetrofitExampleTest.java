package dev.httpcache.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.storage.Storage;
import dev.httpcache.testing.Snippets;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Path;
import retrofit2.http.Tag;

/**
 * The Retrofit example of docs/integrations.md, run against a real local origin; the code between
 * the markers is the documented snippet, character for character (checked below).
 */
final class RetrofitExampleTest {
  @TempDir java.nio.file.Path dir;
  private final MockWebServer server = new MockWebServer();

  /** The service of the example. */
  interface Catalog {
    @GET("items/{id}")
    Call<String> item(@Path("id") String id);

    @GET("items/{id}")
    Call<String> item(@Path("id") String id, @Tag RequestOptions options);
  }

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
            return new MockResponse.Builder()
                .addHeader("Content-Type", "text/plain")
                .body("item " + request.getUrl().pathSegments().get(1))
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
  void theDocumentedRetrofitExampleCachesThroughTheInterceptor() throws Exception {
    String baseUrl = server.url("/").toString();
    java.nio.file.Path cacheFile = dir.resolve("http_cache.sqlite");

    // [retrofit-example]
    HttpCache cache =
        HttpCache.builder()
            .storage(Storage.sqlite(cacheFile))
            .expireAfter(Duration.ofMinutes(10))
            .build();
    OkHttpClient okHttp =
        new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(cache)).build();
    Catalog catalog =
        new Retrofit.Builder()
            .baseUrl(baseUrl)
            .client(okHttp)
            .addConverterFactory(ScalarsConverterFactory.create())
            .build()
            .create(Catalog.class);

    Response<String> first = catalog.item("42").execute(); // from the network, then stored
    Response<String> second = catalog.item("42").execute(); // from the cache
    CacheMetadata meta = CacheInterceptor.metadata(second.raw());
    System.out.println(second.body() + " from cache: " + meta.fromCache());

    // Per-request options travel as a Retrofit @Tag, never onto the wire.
    RequestOptions refresh = RequestOptions.builder().forceRefresh(true).build();
    Response<String> third = catalog.item("42", refresh).execute(); // from the network again
    // [/retrofit-example]

    assertThat(first.body()).isEqualTo("item 42");
    assertThat(CacheInterceptor.metadata(first.raw()).fromCache()).isFalse();
    assertThat(second.body()).isEqualTo("item 42");
    assertThat(meta.fromCache()).isTrue();
    assertThat(third.body()).isEqualTo("item 42");
    assertThat(CacheInterceptor.metadata(third.raw()).fromCache()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Files.exists(cacheFile)).isTrue();
    okHttp.dispatcher().executorService().shutdown();
    cache.close();
  }

  @Test
  void theDocsShowThisExampleVerbatim() throws IOException {
    assertThat(Snippets.inDocs("docs/integrations.md", "retrofit-example"))
        .isEqualTo(Snippets.inSource(getClass(), "retrofit-example"));
  }

  @Test
  void retrofitEnqueueIsCachedToo() throws Exception {
    try (HttpCache cache = HttpCache.builder().storage(Storage.inMemory()).build()) {
      Catalog catalog =
          new Retrofit.Builder()
              .baseUrl(server.url("/"))
              .client(new OkHttpClient.Builder().addInterceptor(CacheInterceptor.of(cache)).build())
              .addConverterFactory(ScalarsConverterFactory.create())
              .build()
              .create(Catalog.class);
      catalog.item("7").execute();
      java.util.concurrent.CompletableFuture<Response<String>> later =
          new java.util.concurrent.CompletableFuture<>();
      catalog
          .item("7")
          .enqueue(
              new retrofit2.Callback<String>() {
                @Override
                public void onResponse(Call<String> call, Response<String> response) {
                  later.complete(response);
                }

                @Override
                public void onFailure(Call<String> call, Throwable t) {
                  later.completeExceptionally(t);
                }
              });
      Response<String> hit = later.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(hit.body()).isEqualTo("item 7");
      assertThat(CacheInterceptor.metadata(hit.raw()).fromCache()).isTrue();
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }
}
