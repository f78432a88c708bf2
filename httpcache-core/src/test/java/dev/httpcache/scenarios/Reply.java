package dev.httpcache.scenarios;

import dev.httpcache.CacheMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** What a {@link ScenarioClient} got back: status, headers, the whole body, the cache metadata. */
public final class Reply {
  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final @Nullable CacheMetadata metadata;

  /**
   * Returns a reply.
   *
   * @param headers the response headers; names are looked up in any case
   * @param metadata the cache metadata, or null from a client without a cache
   */
  public Reply(
      int status,
      Map<String, List<String>> headers,
      byte[] body,
      @Nullable CacheMetadata metadata) {
    this.status = status;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), Reply::concat));
    this.headers = copy;
    this.body = body.clone();
    this.metadata = metadata;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /** Returns the status code. */
  public int status() {
    return status;
  }

  /** Returns the headers, names in any case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** Returns the first value of a header. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Returns the body. */
  public byte[] body() {
    return body.clone();
  }

  /** Returns the body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Returns the cache metadata.
   *
   * @throws AssertionError from a client without a cache
   */
  public CacheMetadata metadata() {
    if (metadata == null) {
      throw new AssertionError("this reply came from a client without a cache");
    }
    return metadata;
  }

  /** Whether the cache answered (a revalidated response too). */
  public boolean fromCache() {
    return metadata().fromCache();
  }

  @Override
  public String toString() {
    return "Reply[" + status + ", " + body.length + " bytes, " + metadata + "]";
  }
}
