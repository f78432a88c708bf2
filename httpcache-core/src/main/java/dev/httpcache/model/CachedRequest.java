package dev.httpcache.model;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of an HTTP request as the cache sees it: method, URL, headers and body.
 *
 * <p>Adapters build one from their client's request; the engine derives the cache key from it and
 * stores it beside the response. Instances are immutable and thread-safe.
 */
public final class CachedRequest {
  private static final byte[] EMPTY = new byte[0];
  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private final String method;
  private final URI uri;
  private final HttpHeaders headers;
  private final byte[] body;

  private CachedRequest(String method, URI uri, HttpHeaders headers, byte[] body) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
  }

  /**
   * Returns a request with the given parts.
   *
   * @param method the method; it is upper-cased
   * @param uri an absolute URI
   * @param headers the request headers
   * @param body the body; copied, and empty when the request has none
   * @throws IllegalArgumentException when the method is blank or the URI is not absolute
   */
  public static CachedRequest of(String method, URI uri, HttpHeaders headers, byte[] body) {
    Objects.requireNonNull(body, "body");
    return ofOwned(method, uri, headers, body.length == 0 ? EMPTY : body.clone());
  }

  /** Returns a GET request for {@code uri} with no headers and no body. */
  public static CachedRequest get(URI uri) {
    return ofOwned("GET", uri, NO_HEADERS, EMPTY);
  }

  /**
   * Like {@link #of} but takes ownership of {@code body} without copying it; for adapters and
   * decoders that built the array themselves and never touch it again.
   */
  public static CachedRequest ofOwned(String method, URI uri, HttpHeaders headers, byte[] body) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method is blank; pass GET, POST, ...");
    }
    if (!uri.isAbsolute()) {
      // The query and user info may hold secrets: name the path alone.
      throw new IllegalArgumentException(
          "URI is not absolute (path " + uri.getRawPath() + "); pass scheme://host/path");
    }
    return new CachedRequest(upperCase(method), uri, headers, body);
  }

  /** Returns {@code method} in upper case; itself, without a locale's rules, when it is already. */
  private static String upperCase(String method) {
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 0x80) {
        return method.toUpperCase(Locale.ROOT);
      }
    }
    return method;
  }

  /** Returns a headers object with the given name-value pairs, for building requests. */
  public static HttpHeaders headers(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (a, b) -> true);
  }

  /** Returns the upper-case method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** Returns the absolute request URI, as the caller built it. */
  public URI uri() {
    return uri;
  }

  /** Returns the request headers. */
  public HttpHeaders headers() {
    return headers;
  }

  /** Returns a copy of the body; empty when the request has none. */
  public byte[] body() {
    return body.length == 0 ? EMPTY : body.clone();
  }

  /** Returns the body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Returns the body array itself, without copying. Callers must not modify it; this exists for the
   * key and codec code on the hot path.
   */
  public byte[] bodyUnsafe() {
    return body;
  }

  /** Returns a copy of this request with other headers. */
  public CachedRequest withHeaders(HttpHeaders headers) {
    return new CachedRequest(method, uri, Objects.requireNonNull(headers, "headers"), body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedRequest
        && method.equals(((CachedRequest) o).method)
        && uri.equals(((CachedRequest) o).uri)
        && headers.equals(((CachedRequest) o).headers)
        && Arrays.equals(body, ((CachedRequest) o).body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, uri, headers, Arrays.hashCode(body));
  }

  /**
   * Returns the method and the URI without its query; the query, headers and body are left out,
   * since they may hold secrets.
   */
  @Override
  public String toString() {
    return method + " " + withoutQuery(uri);
  }

  /** Returns {@code uri} with its query replaced by {@code ?...} and its user info dropped. */
  static String withoutQuery(URI uri) {
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() != -1) {
      out.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    out.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      out.append("?...");
    }
    return out.toString();
  }
}
