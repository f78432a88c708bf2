package dev.httpcache;

import dev.httpcache.model.CachedResponse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One stored entry as {@link HttpCache#entries} lists it: its key, its size in the storage, its
 * expiry, and the response decoded from it, or why it could not be decoded. Immutable.
 *
 * <p>The response is as stored: secrets redacted, with its request, creation time and expiry.
 */
public final class CacheEntry {
  private final String key;
  private final long size;
  private final @Nullable Instant expires;
  private final @Nullable CachedResponse response;
  private final @Nullable String problem;
  private final boolean foreign;

  CacheEntry(
      String key,
      long size,
      @Nullable Instant expires,
      @Nullable CachedResponse response,
      @Nullable String problem,
      boolean foreign) {
    this.key = Objects.requireNonNull(key, "key");
    this.size = size;
    this.expires = expires;
    this.response = response;
    this.problem = problem;
    this.foreign = foreign;
  }

  /** Returns the cache key the entry is stored under. */
  public String key() {
    return key;
  }

  /** Returns the entry's size in the storage, in bytes, as encoded. */
  public long size() {
    return size;
  }

  /** Returns when the entry expires, as the storage records it; empty when it never does. */
  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** Whether the entry has expired at {@code now}: its expiry is at or before it. */
  public boolean isExpired(Instant now) {
    return expires != null && !expires.isAfter(now);
  }

  /**
   * Returns the decoded response, or empty when the entry could not be decoded (see {@link
   * #problem()}) or was not decoded because the listing did not need it.
   */
  public Optional<CachedResponse> response() {
    return Optional.ofNullable(response);
  }

  /** Returns why the entry could not be decoded; empty when it was decoded or not tried. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * Whether the entry was written by another codec (a client with other settings sharing the
   * storage). Such an entry is not undecodable: that client can read it.
   */
  public boolean isForeign() {
    return foreign;
  }

  @Override
  public String toString() {
    return "CacheEntry["
        + key
        + ", "
        + size
        + " bytes, expires "
        + (expires == null ? "never" : expires)
        + (response != null ? ", " + response.statusCode() + " " + response.uri() : "")
        + (problem != null ? ", " + problem : "")
        + "]";
  }
}
