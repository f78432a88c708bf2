package dev.httpcache;

import dev.httpcache.policy.ExpireAfter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Cache options for one request. They change only what the cache does; they never go onto the wire,
 * so the origin sees exactly the request the caller built. Immutable and thread-safe.
 *
 * <pre>{@code
 * RequestOptions options = RequestOptions.builder().expireAfter(Duration.ofMinutes(5)).build();
 * client.send(request, BodyHandlers.ofString(), options);
 * }</pre>
 */
public final class RequestOptions {
  /** No per-request options: the cache's settings apply. */
  public static final RequestOptions DEFAULT = new Builder().build();

  private final @Nullable ExpireAfter expireAfter;
  private final boolean skipCache;
  private final boolean forceRefresh;
  private final boolean refresh;
  private final boolean onlyIfCached;
  private final @Nullable Duration staleIfError;
  private final @Nullable Duration staleWhileRevalidate;

  private RequestOptions(Builder b) {
    this.expireAfter = b.expireAfter;
    this.skipCache = b.skipCache;
    this.forceRefresh = b.forceRefresh;
    this.refresh = b.refresh;
    this.onlyIfCached = b.onlyIfCached;
    this.staleIfError = b.staleIfError;
    this.staleWhileRevalidate = b.staleWhileRevalidate;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options that skip the cache for this request: no read, no write. */
  public static final RequestOptions SKIP_CACHE = new Builder().skipCache(true).build();

  /** Returns options that only set the expiration of this request's response. */
  public static RequestOptions expiringAfter(Duration duration) {
    return builder().expireAfter(duration).build();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.expireAfter = expireAfter;
    b.skipCache = skipCache;
    b.forceRefresh = forceRefresh;
    b.refresh = refresh;
    b.onlyIfCached = onlyIfCached;
    b.staleIfError = staleIfError;
    b.staleWhileRevalidate = staleWhileRevalidate;
    return b;
  }

  /** Returns the expiration for this request, overriding URL patterns and the cache's default. */
  public Optional<ExpireAfter> expireAfter() {
    return Optional.ofNullable(expireAfter);
  }

  /** Whether the cache is skipped entirely for this request: no read, no write. */
  public boolean skipCache() {
    return skipCache;
  }

  /** Whether a stored response is ignored and the new response stored ("hard refresh"). */
  public boolean forceRefresh() {
    return forceRefresh;
  }

  /**
   * Whether a stored response with a validator is revalidated even while fresh ("soft refresh").
   */
  public boolean refresh() {
    return refresh;
  }

  /** Whether the network is never used: a 504 answers when nothing usable is stored. */
  public boolean onlyIfCached() {
    return onlyIfCached;
  }

  /** Returns this request's stale-if-error allowance, over the cache's; see the builder. */
  public Optional<Duration> staleIfError() {
    return Optional.ofNullable(staleIfError);
  }

  /** Returns this request's stale-while-revalidate window, over the cache's. */
  public Optional<Duration> staleWhileRevalidate() {
    return Optional.ofNullable(staleWhileRevalidate);
  }

  @Override
  public String toString() {
    return "RequestOptions[expireAfter="
        + expireAfter
        + ", skipCache="
        + skipCache
        + ", forceRefresh="
        + forceRefresh
        + ", refresh="
        + refresh
        + ", onlyIfCached="
        + onlyIfCached
        + ", staleIfError="
        + staleIfError
        + ", staleWhileRevalidate="
        + staleWhileRevalidate
        + "]";
  }

  /** Builds {@link RequestOptions}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ExpireAfter expireAfter;
    private boolean skipCache;
    private boolean forceRefresh;
    private boolean refresh;
    private boolean onlyIfCached;
    private @Nullable Duration staleIfError;
    private @Nullable Duration staleWhileRevalidate;

    private Builder() {}

    /**
     * Lets a stored response stale by at most {@code maxStaleness} answer this request when the
     * network fails or the origin answers 5xx; overrides the cache's setting.
     */
    public Builder staleIfError(Duration maxStaleness) {
      this.staleIfError = HttpCache.Builder.nonNegative(maxStaleness, "staleIfError");
      return this;
    }

    /**
     * Lets a stored response stale by at most {@code window} answer this request at once while it
     * is refreshed in the background; overrides the cache's setting.
     */
    public Builder staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = HttpCache.Builder.nonNegative(window, "staleWhileRevalidate");
      return this;
    }

    /** Sets how long this request's response stays fresh once stored. */
    public Builder expireAfter(Duration duration) {
      return expireAfter(ExpireAfter.of(duration));
    }

    /** Sets the expiration of this request's response; {@code DO_NOT_CACHE} skips the cache. */
    public Builder expireAfter(ExpireAfter expireAfter) {
      this.expireAfter = Objects.requireNonNull(expireAfter, "expireAfter");
      return this;
    }

    /** Skips the cache for this request: nothing is read or written. */
    public Builder skipCache(boolean skipCache) {
      this.skipCache = skipCache;
      return this;
    }

    /** Ignores any stored response and stores the new one ("hard refresh"). */
    public Builder forceRefresh(boolean forceRefresh) {
      this.forceRefresh = forceRefresh;
      return this;
    }

    /** Revalidates a stored response that has a validator, even while fresh ("soft refresh"). */
    public Builder refresh(boolean refresh) {
      this.refresh = refresh;
      return this;
    }

    /** Never uses the network: answers 504 when nothing usable is stored. */
    public Builder onlyIfCached(boolean onlyIfCached) {
      this.onlyIfCached = onlyIfCached;
      return this;
    }

    /** Builds the options. */
    public RequestOptions build() {
      return new RequestOptions(this);
    }
  }
}
