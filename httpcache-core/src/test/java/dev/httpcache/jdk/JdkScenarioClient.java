package dev.httpcache.jdk;

import dev.httpcache.CacheMetadata;
import dev.httpcache.RequestOptions;
import dev.httpcache.scenarios.Reply;
import dev.httpcache.scenarios.ScenarioClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The scenario suite's view of a JDK client: {@link CachedHttpClient#send} or {@link
 * CachedHttpClient#sendAsync}, or a plain {@link HttpClient}; every one follows redirects.
 */
final class JdkScenarioClient implements ScenarioClient {
  private final HttpClient client;
  private final boolean async;

  private JdkScenarioClient(HttpClient client, boolean async) {
    this.client = client;
    this.async = async;
  }

  /** The JDK client the scenarios wrap: redirects followed, as OkHttp follows them. */
  static HttpClient network() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  static JdkScenarioClient cached(dev.httpcache.HttpCache cache, boolean async) {
    return new JdkScenarioClient(CachedHttpClient.of(network(), cache), async);
  }

  static JdkScenarioClient plain() {
    return new JdkScenarioClient(network(), false);
  }

  @Override
  public Reply send(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      RequestOptions options)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    b.method(method, body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    HttpRequest request = b.build();
    HttpResponse<byte[]> response;
    if (!(client instanceof CachedHttpClient)) {
      response = client.send(request, BodyHandlers.ofByteArray());
    } else if (async) {
      try {
        response =
            ((CachedHttpClient) client)
                .sendAsync(request, BodyHandlers.ofByteArray(), options)
                .get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
          throw (IOException) cause;
        }
        throw e;
      }
    } else {
      response = ((CachedHttpClient) client).send(request, BodyHandlers.ofByteArray(), options);
    }
    @Nullable CacheMetadata metadata =
        client instanceof CachedHttpClient ? CachedHttpClient.metadata(response) : null;
    return new Reply(response.statusCode(), response.headers().map(), response.body(), metadata);
  }
}
