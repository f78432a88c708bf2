package dev.httpcache;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the cache knows of one response it returned: whether it came from the cache, when it was
 * created and expires, whether it was revalidated, and its cache key. Immutable and thread-safe.
 *
 * <p>For a response from the network, {@link #createdAt()} is when it arrived and {@link
 * #expires()} the expiry it is stored with once its body has been read whole (empty when it is not
 * stored, or never expires). When it was stored before it was returned (a body read whole, as by
 * {@code ofByteArray} or {@code ofString}), both are those of the stored entry, whose creation is
 * when its body had arrived.
 */
public final class CacheMetadata {
  private final boolean fromCache;
  private final boolean revalidated;
  private final Instant createdAt;
  private final @Nullable Instant expires;
  private final boolean expired;
  private final String key;

  CacheMetadata(
      boolean fromCache,
      boolean revalidated,
      Instant createdAt,
      @Nullable Instant expires,
      boolean expired,
      String key) {
    this.fromCache = fromCache;
    this.revalidated = revalidated;
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.expires = expires;
    this.expired = expired;
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Whether the response was served from the cache (a revalidated response too). */
  public boolean fromCache() {
    return fromCache;
  }

  /** Whether the stored response was revalidated with the origin (it answered 304). */
  public boolean revalidated() {
    return revalidated;
  }

  /** Returns when the response was received from the origin. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Returns when the response expires; empty when it never does or was not stored. */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** Whether the response had expired when it was returned. */
  public boolean expired() {
    return expired;
  }

  /** Returns the cache key of the request (64 hex digits). */
  public String key() {
    return key;
  }

  @Override
  public String toString() {
    return "CacheMetadata[fromCache="
        + fromCache
        + ", revalidated="
        + revalidated
        + ", createdAt="
        + createdAt
        + ", expires="
        + (expires == null ? "never" : expires.toString())
        + ", expired="
        + expired
        + ", key="
        + key
        + "]";
  }
}
