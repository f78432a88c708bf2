package dev.httpcache.storage;

/** What the stock storages share when they {@linkplain Storage#trim trim} themselves. */
final class Eviction {
  private Eviction() {}

  /**
   * Where a trim stops: 1 % under the bound, so that the pass that sorts the values by last use
   * pays for a hundredth of the bound's worth of writes rather than for one. Bounds under 100 are
   * met exactly.
   */
  static long target(long bound) {
    return bound == Long.MAX_VALUE ? bound : bound - bound / 100;
  }
}
