package dev.httpcache.jdk;

import dev.httpcache.CacheMetadata;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** A response returned by {@link CachedHttpClient}: an ordinary HttpResponse plus metadata. */
final class CachedHttpResponse<T> implements HttpResponse<T> {
  private final int statusCode;
  private final HttpRequest request;
  private final HttpHeaders headers;
  private final T body;
  private final URI uri;
  private final HttpClient.Version version;
  private final @Nullable HttpResponse<T> network;
  private final CacheMetadata metadata;

  CachedHttpResponse(
      int statusCode,
      HttpRequest request,
      HttpHeaders headers,
      T body,
      URI uri,
      HttpClient.Version version,
      @Nullable HttpResponse<T> network,
      CacheMetadata metadata) {
    this.statusCode = statusCode;
    this.request = request;
    this.headers = headers;
    this.body = body;
    this.uri = uri;
    this.version = version;
    this.network = network;
    this.metadata = metadata;
  }

  CacheMetadata metadata() {
    return metadata;
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return network == null ? Optional.empty() : network.previousResponse();
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return network == null ? Optional.empty() : network.sslSession();
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public HttpClient.Version version() {
    return version;
  }

  @Override
  public String toString() {
    // The query is left out: it may hold secrets, and responses end up in logs.
    String where =
        uri.getScheme()
            + "://"
            + uri.getHost()
            + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
    return "("
        + request.method()
        + " "
        + where
        + ") "
        + statusCode
        + (metadata.fromCache() ? " from cache" : "");
  }
}
