package dev.httpcache.policy;

import dev.httpcache.model.CachedResponse;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The cache's decisions as pure functions of the request's actions, the stored entry and the time:
 * no I/O, no state. The engine calls these; they are public so that adapters and tests can reason
 * about a decision without a storage. Thread-safe.
 *
 * <p>This follows requests-cache's defaults: a stored response is served until it expires; once
 * expired it is revalidated when it has a validator ({@code ETag}, {@code Last-Modified}) and
 * fetched again when it has none.
 */
public final class Policy {
  private Policy() {}

  /**
   * Decides what to do with a request.
   *
   * @param actions what the settings and options allow for this request
   * @param stored the response stored under the request's key, or {@code null}
   * @param now the current time
   */
  public static CacheDecision decide(
      Actions actions, @Nullable CachedResponse stored, Instant now) {
    if (!actions.read() || stored == null) {
      return actions.onlyIfCached() ? new CacheDecision.Unsatisfiable() : new CacheDecision.Fetch();
    }
    boolean expired = stored.isExpired(now);
    if (actions.onlyIfCached()) {
      // Offline use: a stored response is better than none, even an expired one is not served.
      return expired ? new CacheDecision.Unsatisfiable() : new CacheDecision.Serve(stored);
    }
    if (!expired && !actions.revalidate()) {
      return new CacheDecision.Serve(stored);
    }
    Map<String, String> validators = conditionalHeaders(stored.headers());
    if (!validators.isEmpty()) {
      return new CacheDecision.Revalidate(stored, validators);
    }
    // A refresh of an entry without validators serves it untouched, as requests-cache does.
    return expired ? new CacheDecision.Fetch() : new CacheDecision.Serve(stored);
  }

  /** Returns the conditional request headers that revalidate a response with these headers. */
  public static Map<String, String> conditionalHeaders(HttpHeaders headers) {
    Map<String, String> out = new LinkedHashMap<>(2);
    headers.firstValue("ETag").ifPresent(v -> out.put("If-None-Match", v));
    headers.firstValue("Last-Modified").ifPresent(v -> out.put("If-Modified-Since", v));
    return out;
  }

  /** Whether a response with these headers carries a validator. */
  public static boolean hasValidator(HttpHeaders headers) {
    return headers.firstValue("ETag").isPresent()
        || headers.firstValue("Last-Modified").isPresent();
  }

  /**
   * Whether a response may be stored, judged from its status and headers before its body is read.
   *
   * @param actions what the settings and options allow for this request
   * @param allowed whether the status code is one of the allowable codes
   * @param headers the response headers
   * @param now the current time
   */
  public static boolean mayStore(
      Actions actions, boolean allowed, HttpHeaders headers, Instant now) {
    if (!actions.write() || !allowed || actions.expireAfter().isDoNotCache()) {
      return false;
    }
    // A response that expires at once is only worth keeping for its validators.
    return !actions.expireAfter().isImmediate(now) || hasValidator(headers);
  }

  /**
   * Returns the headers of a stored response updated by a 304 answer (RFC 9111 section 3.2): each
   * header the 304 carries replaces the stored one of that name, except the framing headers that
   * describe the stored body.
   */
  public static HttpHeaders updateHeaders(HttpHeaders stored, HttpHeaders notModified) {
    Map<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    merged.putAll(stored.map());
    for (Map.Entry<String, List<String>> e : notModified.map().entrySet()) {
      String name = e.getKey();
      if (isFramingHeader(name)) {
        continue;
      }
      merged.put(name, e.getValue());
    }
    return HttpHeaders.of(merged, (a, b) -> true);
  }

  private static boolean isFramingHeader(String name) {
    return name.equalsIgnoreCase("Content-Length")
        || name.equalsIgnoreCase("Transfer-Encoding")
        || name.equalsIgnoreCase("Content-Encoding")
        || name.equalsIgnoreCase("Content-Range")
        || name.equalsIgnoreCase(":status");
  }
}
