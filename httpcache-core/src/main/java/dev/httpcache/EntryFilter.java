package dev.httpcache;

import dev.httpcache.model.CachedResponse;
import dev.httpcache.policy.UrlPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which stored entries {@link HttpCache#entries} lists and {@link HttpCache#delete(EntryFilter)}
 * removes: requests-cache's {@code valid}, {@code expired}, {@code invalid} and {@code older_than},
 * plus URL patterns, combined with {@link #and} and {@link #or}. Immutable and thread-safe.
 *
 * <pre>{@code
 * cache.delete(EntryFilter.expired().or(EntryFilter.undecodable()));
 * try (Stream<CacheEntry> old = cache.entries(EntryFilter.olderThan(Duration.ofDays(7)))) {
 *   old.forEach(e -> System.out.println(e.response().orElseThrow().uri()));
 * }
 * }</pre>
 *
 * <p>Filters on expiry alone ({@link #all()}, {@link #expired()}) read no entry; the others decode
 * each entry they look at. "Now" is the cache's clock when the filter runs.
 */
public final class EntryFilter {

  /** A test of one entry; the entry is decoded first when {@link #decodes} says so. */
  @FunctionalInterface
  interface Test {
    boolean test(CacheEntry entry, Instant now);
  }

  private static final EntryFilter ALL = new EntryFilter("all", false, (e, now) -> true);
  private static final EntryFilter EXPIRED =
      new EntryFilter("expired", false, (e, now) -> e.isExpired(now));
  private static final EntryFilter VALID =
      new EntryFilter("valid", true, (e, now) -> e.response().isPresent() && !e.isExpired(now));
  private static final EntryFilter UNDECODABLE =
      new EntryFilter("undecodable", true, (e, now) -> e.response().isEmpty() && !e.isForeign());

  private final String description;
  private final boolean decodes;
  private final Test test;

  private EntryFilter(String description, boolean decodes, Test test) {
    this.description = description;
    this.decodes = decodes;
    this.test = test;
  }

  /** Every entry. */
  public static EntryFilter all() {
    return ALL;
  }

  /** Entries whose expiry is at or before now. Entries that never expire are not expired. */
  public static EntryFilter expired() {
    return EXPIRED;
  }

  /** Entries that decode and have not expired. */
  public static EntryFilter valid() {
    return VALID;
  }

  /**
   * Entries that cannot be decoded: corrupt, truncated, of an unknown format, or failing their
   * integrity check under a signing or encrypting codec. An entry that another codec wrote is not
   * one of them ({@link CacheEntry#isForeign()}), since another client may read it.
   */
  public static EntryFilter undecodable() {
    return UNDECODABLE;
  }

  /** Decodable entries created before {@code instant}. */
  public static EntryFilter olderThan(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    return new EntryFilter(
        "older than " + instant,
        true,
        (e, now) -> e.response().map(r -> r.createdAt().isBefore(instant)).orElse(false));
  }

  /** Decodable entries created more than {@code age} before now. */
  public static EntryFilter olderThan(Duration age) {
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      throw new IllegalArgumentException("negative age: " + age);
    }
    return new EntryFilter(
        "older than " + age,
        true,
        (e, now) -> e.response().map(r -> r.createdAt().isBefore(now.minus(age))).orElse(false));
  }

  /**
   * Decodable entries whose URL (as stored, secrets redacted) matches {@code pattern}, as URL
   * patterns of expiration settings do: without the scheme, {@code *} within a segment, {@code **}
   * across, an implicit prefix.
   */
  public static EntryFilter url(UrlPattern pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return new EntryFilter(
        "url " + pattern,
        true,
        (e, now) -> e.response().map(CachedResponse::uri).map(pattern::matches).orElse(false));
  }

  /** Entries that pass both this filter and {@code other}. */
  public EntryFilter and(EntryFilter other) {
    Objects.requireNonNull(other, "other");
    return new EntryFilter(
        "(" + description + " and " + other.description + ")",
        decodes || other.decodes,
        (e, now) -> test.test(e, now) && other.test.test(e, now));
  }

  /** Entries that pass this filter or {@code other}. */
  public EntryFilter or(EntryFilter other) {
    Objects.requireNonNull(other, "other");
    return new EntryFilter(
        "(" + description + " or " + other.description + ")",
        decodes || other.decodes,
        (e, now) -> test.test(e, now) || other.test.test(e, now));
  }

  /** Whether the filter needs entries decoded. */
  boolean decodes() {
    return decodes;
  }

  /** Whether this is {@link #expired()} itself, which a storage's index answers. */
  boolean isExpiredOnly() {
    return this == EXPIRED;
  }

  boolean test(CacheEntry entry, Instant now) {
    return test.test(entry, now);
  }

  @Override
  public String toString() {
    return "EntryFilter[" + description + "]";
  }
}
