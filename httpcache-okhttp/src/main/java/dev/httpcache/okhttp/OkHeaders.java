package dev.httpcache.okhttp;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/** Moving headers between OkHttp's {@link Headers} and the engine's {@link HttpHeaders}. */
final class OkHeaders {
  private static final List<String> CREDENTIALS = List.of("Authorization", "Proxy-Authorization");

  private OkHeaders() {}

  /** Returns OkHttp's headers as the JDK type, names in any case, values in order. */
  static HttpHeaders toJdk(Headers headers) {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0, n = headers.size(); i < n; i++) {
      map.computeIfAbsent(headers.name(i), k -> new ArrayList<>(1)).add(headers.value(i));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  /**
   * Returns the headers of a request as the cache sees them: the caller's, and the {@code
   * Content-Type} of its body, which OkHttp sends in the header's place (a {@code Content-Type}
   * that the caller set on a request with a typed body never goes onto the wire).
   */
  static HttpHeaders requestHeaders(Request request) {
    RequestBody body = request.body();
    MediaType type = body == null ? null : body.contentType();
    if (type == null) {
      return toJdk(request.headers());
    }
    return toJdk(request.headers().newBuilder().set("Content-Type", type.toString()).build());
  }

  /**
   * Returns stored headers as OkHttp's. A name or value that OkHttp refuses (a stored response
   * comes from a storage the cache treats as hostile) is left out rather than failing the call.
   */
  static Headers toOkHttp(HttpHeaders headers) {
    Headers.Builder b = new Headers.Builder();
    headers
        .map()
        .forEach(
            (name, values) -> {
              for (String value : values) {
                try {
                  b.addUnsafeNonAscii(name, value);
                } catch (IllegalArgumentException e) {
                  // Not a header OkHttp can carry.
                }
              }
            });
    return b.build();
  }

  /**
   * Whether OkHttp added credentials beneath the interceptor (an {@code Authenticator} answering a
   * 401 or 407): the final request carries an {@code Authorization} or {@code Proxy-Authorization}
   * value that the caller's did not. Such a response is not stored under the key of a request
   * without them.
   */
  static boolean credentialsAdded(Request original, Request last) {
    for (String name : CREDENTIALS) {
      for (String value : last.headers(name)) {
        if (!original.headers(name).contains(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
