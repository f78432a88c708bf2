package dev.httpcache.policy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The cache-wide rules a decision follows, beside a request's own {@link Actions}: whether response
 * headers are obeyed (RFC 9111) and how, and requests-cache's stale controls.
 *
 * @param cacheControl whether response headers ({@code Cache-Control}, {@code Expires}) decide
 *     freshness and storing, where no expiration was set by the caller
 * @param shared whether the cache is shared by many users ({@code s-maxage}, {@code private},
 *     {@code proxy-revalidate} and the {@code Authorization} rule of section 3.5 apply)
 * @param heuristicLimit the longest heuristic freshness (10 % of the time since {@code
 *     Last-Modified}), or {@code null} for none
 * @param alwaysRevalidate revalidate a stored response that has a validator on every use
 * @param readOnly never write: entries are read, and not even revalidations are written back
 * @param staleIfError how stale a stored response may be and still answer when the network fails or
 *     answers 5xx ({@code null}: never; {@link #ANY_STALENESS}: any)
 * @param staleWhileRevalidate how stale a stored response may be and still answer at once while it
 *     is refreshed in the background ({@code null}: never)
 */
public record Rules(
    boolean cacheControl,
    boolean shared,
    @Nullable Duration heuristicLimit,
    boolean alwaysRevalidate,
    boolean readOnly,
    @Nullable Duration staleIfError,
    @Nullable Duration staleWhileRevalidate) {

  /** A staleness without bound, for stale-if-error or stale-while-revalidate set to "always". */
  public static final Duration ANY_STALENESS = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  /** requests-cache's defaults: response headers ignored, a private cache, no stale answers. */
  public static final Rules DEFAULT = new Rules(false, false, null, false, false, null, null);
}
