package dev.httpcache.codec;

/**
 * Signals that a stored entry failed its integrity check: its signature did not verify, it was
 * signed or encrypted with a key this cache does not hold, it was moved under another cache key, or
 * under a codec that authenticates entries it is not an entry at all. The entry was not used.
 *
 * <p>By default the cache raises this from {@code send} and {@code sendAsync}, as requests-cache's
 * signed serializer raises {@code BadSignature}: a tampered cache is a security event. A setting of
 * {@code HttpCache.Builder} turns it into delete-and-refetch instead. The message names the cache
 * key and what failed; it never holds a secret key or a stored value.
 */
public class IntegrityException extends CodecException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** Creates an exception for the entry under {@code key}. */
  public IntegrityException(String key, String message) {
    super("cache entry " + key + " failed its integrity check: " + message);
    this.key = key;
  }

  /** Creates an exception for the entry under {@code key}, with its cause. */
  public IntegrityException(String key, String message, Throwable cause) {
    super("cache entry " + key + " failed its integrity check: " + message, cause);
    this.key = key;
  }

  /** Returns the cache key of the entry that failed. */
  public String key() {
    return key;
  }
}
