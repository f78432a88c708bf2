package dev.httpcache;

import dev.httpcache.codec.IntegrityException;
import java.io.IOException;

/**
 * Hears what the cache does, for metrics and diagnostics. Every method has an empty default, so an
 * implementation overrides only what it needs. Methods are called on the thread doing the work and
 * must be fast and must not throw; an exception thrown by a listener is logged and ignored.
 *
 * <p>Keys are cache keys (hashes); no method receives a secret, a body or a full URL.
 */
public interface CacheListener {
  /** A listener that does nothing. */
  CacheListener NONE = new CacheListener() {};

  /** A fresh stored response answered the request. */
  default void onHit(String key) {}

  /** Nothing usable was stored; the request goes to the network. */
  default void onMiss(String key) {}

  /** A response was stored. */
  default void onStored(String key, int bodyBytes) {}

  /** A stored response was revalidated by a 304. */
  default void onRevalidated(String key) {}

  /**
   * A stored response past its expiry answered the request: by stale-while-revalidate (a refresh
   * runs in the background), by stale-if-error (the origin failed), or because the request allowed
   * it ({@code max-stale}, only-if-cached).
   */
  default void onStaleServed(String key) {}

  /** A stored response was evicted to keep the cache within its size bounds. */
  default void onEvicted(String key) {}

  /**
   * A response was refused: its {@code Vary} names an ignored header (such as {@code
   * Authorization}) that the request carries, so it cannot be shown to belong to the request's
   * sender. A stored one was not used in any way (not served, not revalidated); a new one was not
   * stored.
   */
  default void onRefused(String key) {}

  /** A stored entry could not be decoded; it was deleted and the request treated as a miss. */
  default void onUndecodable(String key, IOException error) {}

  /**
   * A stored entry failed its integrity check (its signature, or its authenticated encryption): it
   * was not used. The request then fails with {@code error}, or, with {@code
   * refetchOnIntegrityFailure}, the entry is deleted and the request goes to the network.
   */
  default void onIntegrityFailure(String key, IntegrityException error) {}

  /** The storage failed; the request went on without the cache. */
  default void onStorageFault(String operation, IOException error) {}
}
