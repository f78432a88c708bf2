package dev.httpcache.policy;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Age and freshness lifetime of a response, as RFC 9111 section 4.2 computes them. Pure functions
 * of the response's headers and times; thread-safe.
 */
final class Freshness {
  private Freshness() {}

  /** The status codes that are heuristically cacheable (RFC 9110 section 15.1). */
  static final Set<Integer> HEURISTIC_STATUSES =
      Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  /** The share of the time since Last-Modified that heuristic freshness grants (section 4.2.2). */
  static final double HEURISTIC_FRACTION = 0.1;

  /**
   * Returns the corrected initial age (section 4.2.3): the larger of the apparent age ({@code Date}
   * to the time the response was received) and the {@code Age} header. The response delay is taken
   * as zero, since the request time is not kept; it only ever makes the age larger.
   */
  static Duration initialAge(HttpHeaders headers, Instant receivedAt) {
    Duration apparent = Duration.ZERO;
    Instant date = HttpDates.parse(HeaderMaps.first(headers, "Date"));
    if (date != null && date.isBefore(receivedAt)) {
      apparent = Duration.between(date, receivedAt);
    }
    Duration age = Duration.ofSeconds(ageValue(headers.allValues("Age")));
    return age.compareTo(apparent) > 0 ? age : apparent;
  }

  /**
   * Returns the {@code Age} in seconds as RFC 9111 section 5.1 reads it: of a list (one line with
   * commas, or several lines), the first member; a value that is not a non-negative integer is
   * ignored (0); a value too large is capped at 2<sup>31</sup>.
   */
  static long ageValue(java.util.List<String> values) {
    if (values.isEmpty()) {
      return 0;
    }
    String first = values.get(0);
    int comma = first.indexOf(',');
    String member = (comma < 0 ? first : first.substring(0, comma)).trim();
    long value = CacheControl.delta(member, -1);
    return value < 0 ? 0 : value;
  }

  /**
   * Returns the freshness lifetime (section 4.2.1): {@code s-maxage} (in a shared cache), else
   * {@code max-age}, else {@code Expires} minus {@code Date}, else a heuristic from {@code
   * Last-Modified} when allowed; empty when the response says nothing of its freshness. An invalid
   * {@code Expires} means already expired.
   *
   * @param heuristicLimit the longest heuristic lifetime, or {@code null} for no heuristic
   */
  static Optional<Duration> lifetime(
      int status,
      HttpHeaders headers,
      CacheControl cc,
      Instant receivedAt,
      boolean shared,
      @Nullable Duration heuristicLimit) {
    if (shared && cc.sMaxAge != CacheControl.ABSENT) {
      return Optional.of(Duration.ofSeconds(cc.sMaxAge));
    }
    if (cc.maxAge != CacheControl.ABSENT) {
      return Optional.of(Duration.ofSeconds(cc.maxAge));
    }
    String expiresHeader = HeaderMaps.first(headers, "Expires");
    Instant date = HttpDates.parse(HeaderMaps.first(headers, "Date"));
    Instant base = date != null ? date : receivedAt;
    if (expiresHeader != null) {
      Instant expires = HttpDates.parse(expiresHeader);
      if (expires == null || !expires.isAfter(base)) {
        return Optional.of(Duration.ZERO);
      }
      return Optional.of(Duration.between(base, expires));
    }
    if (heuristicLimit != null && (HEURISTIC_STATUSES.contains(status) || cc.isPublic)) {
      Instant lastModified = HttpDates.parse(HeaderMaps.first(headers, "Last-Modified"));
      if (lastModified != null && lastModified.isBefore(base)) {
        Duration heuristic =
            Duration.ofMillis(
                (long) (Duration.between(lastModified, base).toMillis() * HEURISTIC_FRACTION));
        return Optional.of(heuristic.compareTo(heuristicLimit) > 0 ? heuristicLimit : heuristic);
      }
    }
    return Optional.empty();
  }
}
