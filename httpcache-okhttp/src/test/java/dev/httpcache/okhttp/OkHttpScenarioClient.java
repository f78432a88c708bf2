package dev.httpcache.okhttp;

import dev.httpcache.CacheMetadata;
import dev.httpcache.HttpCache;
import dev.httpcache.RequestOptions;
import dev.httpcache.scenarios.Reply;
import dev.httpcache.scenarios.ScenarioClient;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The scenario suite's view of an OkHttp client, with the interceptor or without: {@code
 * execute()}, or {@code enqueue()} waited for. Options travel as the {@code RequestOptions} tag.
 */
final class OkHttpScenarioClient implements ScenarioClient {
  /** Methods whose OkHttp requests must have a body, if only an empty one. */
  private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH", "QUERY");

  private final OkHttpClient client;
  private final boolean cached;
  private final boolean async;

  private OkHttpScenarioClient(OkHttpClient client, boolean cached, boolean async) {
    this.client = client;
    this.cached = cached;
    this.async = async;
  }

  /** The client the scenarios use: OkHttp's defaults (redirects followed), more calls per host. */
  static OkHttpClient.Builder network() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(64);
    dispatcher.setMaxRequests(64);
    return new OkHttpClient.Builder().dispatcher(dispatcher);
  }

  static OkHttpScenarioClient cached(HttpCache cache, boolean async) {
    return new OkHttpScenarioClient(
        network().addInterceptor(CacheInterceptor.of(cache)).build(), true, async);
  }

  static OkHttpScenarioClient plain() {
    return new OkHttpScenarioClient(network().build(), false, false);
  }

  @Override
  public Reply send(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      RequestOptions options)
      throws Exception {
    Request.Builder b = new Request.Builder().url(uri.toString());
    MediaType type = null;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      for (String value : e.getValue()) {
        if (e.getKey().equalsIgnoreCase("Content-Type")) {
          type = MediaType.get(value); // OkHttp sends the body's type as Content-Type
        } else {
          b.addHeader(e.getKey(), value);
        }
      }
    }
    RequestBody requestBody =
        body.length > 0 || BODY_REQUIRED.contains(method) ? RequestBody.create(body, type) : null;
    b.method(method, requestBody);
    if (cached) {
      b.tag(RequestOptions.class, options);
    }
    Call call = client.newCall(b.build());
    try (Response response = async ? enqueue(call) : call.execute()) {
      byte[] bytes = response.body().bytes();
      @Nullable CacheMetadata metadata = cached ? CacheInterceptor.metadata(response) : null;
      return new Reply(response.code(), response.headers().toMultimap(), bytes, metadata);
    }
  }

  private static Response enqueue(Call call) throws Exception {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call c, Response response) {
            result.complete(response);
          }
        });
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
