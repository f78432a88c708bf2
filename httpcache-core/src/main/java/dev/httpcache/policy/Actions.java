package dev.httpcache.policy;

/**
 * What the cache may do for one request, worked out from the settings and the per-request options
 * before the storage is read.
 *
 * @param read whether a stored response may be used
 * @param write whether the response may be stored
 * @param expireAfter the expiration that applies to this request ({@link ExpireAfter#FROM_HEADERS}:
 *     as the response's headers say)
 * @param revalidate revalidate a stored response that has a validator even while it is fresh
 * @param onlyIfCached never use the network; answer 504 when nothing usable is stored
 * @param rules the cache-wide rules, with this request's stale options applied
 */
public record Actions(
    boolean read,
    boolean write,
    ExpireAfter expireAfter,
    boolean revalidate,
    boolean onlyIfCached,
    Rules rules) {

  /** Actions under requests-cache's default rules. */
  public Actions(
      boolean read,
      boolean write,
      ExpireAfter expireAfter,
      boolean revalidate,
      boolean onlyIfCached) {
    this(read, write, expireAfter, revalidate, onlyIfCached, Rules.DEFAULT);
  }
}
