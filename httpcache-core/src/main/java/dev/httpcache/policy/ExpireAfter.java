package dev.httpcache.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long a response stays fresh once stored: a duration, an instant, or one of the special values
 * {@link #NEVER_EXPIRE}, {@link #EXPIRE_IMMEDIATELY} and {@link #DO_NOT_CACHE}.
 *
 * <p>The special values behave as requests-cache's: {@code NEVER_EXPIRE} stores with no expiry;
 * {@code EXPIRE_IMMEDIATELY} (and {@code of(Duration.ZERO)}) stores a response only when it has a
 * validator ({@code ETag} or {@code Last-Modified}), already expired, so that every use revalidates
 * it; {@code DO_NOT_CACHE} neither reads nor writes. Immutable and thread-safe.
 */
public final class ExpireAfter {
  private enum Kind {
    NEVER,
    IMMEDIATELY,
    DO_NOT_CACHE,
    DURATION,
    INSTANT,
    FROM_HEADERS
  }

  /** Store with no expiry. */
  public static final ExpireAfter NEVER_EXPIRE = new ExpireAfter(Kind.NEVER, null, null);

  /** Store already expired, and only responses with a validator; revalidate on every use. */
  public static final ExpireAfter EXPIRE_IMMEDIATELY =
      new ExpireAfter(Kind.IMMEDIATELY, Duration.ZERO, null);

  /**
   * As the response's headers say ({@code Cache-Control}, {@code Expires}, or a heuristic), under
   * RFC 9111: the default expiration of a cache built with {@code cacheControl(true)}.
   */
  public static final ExpireAfter FROM_HEADERS = new ExpireAfter(Kind.FROM_HEADERS, null, null);

  /** Skip the cache entirely: neither read nor write. */
  public static final ExpireAfter DO_NOT_CACHE = new ExpireAfter(Kind.DO_NOT_CACHE, null, null);

  private final Kind kind;
  private final @Nullable Duration duration;
  private final @Nullable Instant instant;

  private ExpireAfter(Kind kind, @Nullable Duration duration, @Nullable Instant instant) {
    this.kind = kind;
    this.duration = duration;
    this.instant = instant;
  }

  /**
   * Returns an expiration {@code duration} after the response is stored; zero is {@link
   * #EXPIRE_IMMEDIATELY}.
   *
   * @throws IllegalArgumentException when {@code duration} is negative
   */
  public static ExpireAfter of(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "negative expiration "
              + duration
              + "; use EXPIRE_IMMEDIATELY to store responses already expired");
    }
    return duration.isZero() ? EXPIRE_IMMEDIATELY : new ExpireAfter(Kind.DURATION, duration, null);
  }

  /** Returns an expiration at a fixed instant; an instant in the past stores already expired. */
  public static ExpireAfter at(Instant instant) {
    return new ExpireAfter(Kind.INSTANT, null, Objects.requireNonNull(instant, "instant"));
  }

  /** Whether this is {@link #FROM_HEADERS}. */
  public boolean isFromHeaders() {
    return kind == Kind.FROM_HEADERS;
  }

  /** Whether this is {@link #DO_NOT_CACHE}. */
  public boolean isDoNotCache() {
    return kind == Kind.DO_NOT_CACHE;
  }

  /** Whether this is {@link #EXPIRE_IMMEDIATELY} or an instant not after {@code now}. */
  public boolean isImmediate(Instant now) {
    return kind == Kind.IMMEDIATELY || (kind == Kind.INSTANT && !now.isBefore(instantValue()));
  }

  /**
   * Returns when a response stored at {@code now} expires, or {@code null} when it never does.
   *
   * @throws IllegalStateException for {@link #DO_NOT_CACHE}, which stores nothing, and for {@link
   *     #FROM_HEADERS}, which needs the response (see {@link Policy#expiresAt})
   */
  public @Nullable Instant expiresAt(Instant now) {
    switch (kind) {
      case NEVER:
        return null;
      case IMMEDIATELY:
        return now;
      case DURATION:
        return now.plus(Objects.requireNonNull(duration));
      case INSTANT:
        return instantValue();
      case FROM_HEADERS:
        throw new IllegalStateException("FROM_HEADERS needs the response: use Policy.expiresAt");
      default:
        throw new IllegalStateException("DO_NOT_CACHE has no expiry: nothing is stored");
    }
  }

  private Instant instantValue() {
    return Objects.requireNonNull(instant);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpireAfter
        && kind == ((ExpireAfter) o).kind
        && Objects.equals(duration, ((ExpireAfter) o).duration)
        && Objects.equals(instant, ((ExpireAfter) o).instant);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, duration, instant);
  }

  @Override
  public String toString() {
    switch (kind) {
      case NEVER:
        return "NEVER_EXPIRE";
      case IMMEDIATELY:
        return "EXPIRE_IMMEDIATELY";
      case DO_NOT_CACHE:
        return "DO_NOT_CACHE";
      case DURATION:
        return String.valueOf(duration);
      case FROM_HEADERS:
        return "FROM_HEADERS";
      default:
        return "at " + instant;
    }
  }
}
