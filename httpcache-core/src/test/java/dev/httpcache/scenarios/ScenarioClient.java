package dev.httpcache.scenarios;

import dev.httpcache.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP client under test: a client of some library, over a cache or not, reduced to what the
 * scenarios need. Implementations build their library's request from the parts, send it (blocking
 * or asynchronously, then waiting), read the whole body and report what came back.
 */
public interface ScenarioClient extends AutoCloseable {

  /**
   * Sends one request and reads its whole response.
   *
   * @param method the method, such as {@code GET}
   * @param uri the absolute URL
   * @param headers the request headers, in order; a {@code Content-Type} describes the body
   * @param body the request body, empty for none
   * @param options the cache options of this request; a client without a cache ignores them
   * @return the status, headers, body and, for a client over a cache, the cache metadata
   * @throws Exception what the library throws, unwrapped from any asynchronous wrapper (an {@code
   *     IOException} when the network fails)
   */
  Reply send(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      RequestOptions options)
      throws Exception;

  /** Releases what the client holds (threads, connections); by default nothing. */
  @Override
  default void close() throws IOException {}
}
