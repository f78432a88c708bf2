package dev.httpcache.reliability;

/**
 * The settings every reliability check shares: the seed of its random choices, and whether the long
 * variant runs.
 *
 * <ul>
 *   <li>{@code -Dhttpcache.seed=N}: the seed (default {@value #DEFAULT_SEED}). Every check prints
 *       the seed it used and puts it in its assertion messages, so that a failure can be replayed
 *       with the same choices.
 *   <li>{@code -Dhttpcache.reliability=long} (the Maven profile {@code reliability-long}): the long
 *       variants, scaled up (tens of thousands of requests, twenty kills, more fuzz cases).
 * </ul>
 */
public final class Reliability {
  /** The seed when none is given. */
  public static final long DEFAULT_SEED = 20261010L;

  private Reliability() {}

  /** Returns the seed of this run. */
  public static long seed() {
    return Long.getLong("httpcache.seed", DEFAULT_SEED);
  }

  /** Whether the long variants run. */
  public static boolean isLong() {
    return "long".equals(System.getProperty("httpcache.reliability"));
  }

  /** Returns {@code shortValue} in the default run, {@code longValue} in the long one. */
  public static int scale(int shortValue, int longValue) {
    return isLong() ? longValue : shortValue;
  }

  /**
   * Returns the seed of one check: the run's seed mixed with the check's name, so that checks do
   * not share their random choices; printed with the run's seed, for replaying.
   */
  public static long seed(String check) {
    long seed = seed();
    long mixed = seed * 0x9E3779B97F4A7C15L + check.hashCode();
    System.out.println(
        "[reliability] "
            + check
            + ": -Dhttpcache.seed="
            + seed
            + (isLong() ? " -Dhttpcache.reliability=long" : ""));
    return mixed;
  }

  /** What to put in an assertion message so that the failure can be replayed. */
  public static String replay() {
    return "replay with -Dhttpcache.seed="
        + seed()
        + (isLong() ? " -Dhttpcache.reliability=long" : "");
  }
}
