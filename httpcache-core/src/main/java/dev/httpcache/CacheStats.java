package dev.httpcache;

/**
 * A snapshot of what a cache holds and what it did: entries and bytes as its storage counts them
 * now, and counts of events since the {@link HttpCache} was built. Immutable.
 *
 * <p>The event counts belong to one {@code HttpCache} instance in one process; several processes
 * sharing a storage each count their own. The storage figures are the storage's, shared by all.
 */
public final class CacheStats {
  private final long entries;
  private final long bytes;
  private final long redirects;
  private final long hits;
  private final long misses;
  private final long revalidations;
  private final long staleServed;
  private final long stored;
  private final long evictions;
  private final long errors;

  CacheStats(
      long entries,
      long bytes,
      long redirects,
      long hits,
      long misses,
      long revalidations,
      long staleServed,
      long stored,
      long evictions,
      long errors) {
    this.entries = entries;
    this.bytes = bytes;
    this.redirects = redirects;
    this.hits = hits;
    this.misses = misses;
    this.revalidations = revalidations;
    this.staleServed = staleServed;
    this.stored = stored;
    this.evictions = evictions;
    this.errors = errors;
  }

  /** Returns how many responses are stored, expired ones included. */
  public long entries() {
    return entries;
  }

  /** Returns the size of the stored responses in bytes, as encoded in the storage. */
  public long bytes() {
    return bytes;
  }

  /** Returns how many redirect aliases are stored. */
  public long redirects() {
    return redirects;
  }

  /** Returns how many requests a stored response answered without the network (fresh or stale). */
  public long hits() {
    return hits;
  }

  /** Returns how many requests found nothing usable stored and went to the network. */
  public long misses() {
    return misses;
  }

  /** Returns how many stored responses a 304 revalidated. */
  public long revalidations() {
    return revalidations;
  }

  /** Returns how many requests a stored response past its expiry answered. */
  public long staleServed() {
    return staleServed;
  }

  /** Returns how many responses were written to the storage. */
  public long stored() {
    return stored;
  }

  /** Returns how many responses were evicted to keep within the size bounds. */
  public long evictions() {
    return evictions;
  }

  /**
   * Returns how many faults the cache met and worked around: storage failures, undecodable entries
   * and integrity failures.
   */
  public long errors() {
    return errors;
  }

  /** Returns the share of lookups that were hits, from 0 to 1; 0 before the first lookup. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }

  @Override
  public String toString() {
    return "CacheStats[entries="
        + entries
        + ", bytes="
        + bytes
        + ", redirects="
        + redirects
        + ", hits="
        + hits
        + ", misses="
        + misses
        + ", revalidations="
        + revalidations
        + ", staleServed="
        + staleServed
        + ", stored="
        + stored
        + ", evictions="
        + evictions
        + ", errors="
        + errors
        + "]";
  }
}
