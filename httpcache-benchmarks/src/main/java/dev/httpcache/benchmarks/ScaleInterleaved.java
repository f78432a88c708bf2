package dev.httpcache.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * The scale target measured in one JVM: hits on a small cache and on a large one ({@link
 * ScaleState}, the same files and requests as {@link ScaleBenchmark}), in alternating rounds, so
 * that a change of the host's speed during the run falls on both alike. JMH runs the sizes one
 * after another, minutes apart, and on a shared VM the host's speed moves the small cache's median
 * by a fifth from one run to the next, which is the whole margin of the target. Not a JMH
 * benchmark.
 *
 * <pre>
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp $J dev.httpcache.benchmarks.ScaleInterleaved sqlite 1000 1000000
 * </pre>
 *
 * <p>Arguments: the storage ({@code sqlite}, {@code sqlite-mmap} or {@code memory}, as {@link
 * ScaleState#storage}), the small and the large number of entries. Prints, per round of 20 000 hits
 * on each cache, the two medians and their ratio; then the mean of the medians of the rounds after
 * the first two (warm-up) and the ratio of those means. System property {@code rounds} (default 12)
 * changes the count.
 */
public final class ScaleInterleaved {
  private static final int PER_ROUND = 20_000;
  private static final int WARM_ROUNDS = 2;

  private ScaleInterleaved() {}

  /**
   * Runs the comparison.
   *
   * @param args storage, small entries, large entries
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ScaleInterleaved sqlite|sqlite-mmap|memory <small> <large>");
      System.exit(2);
    }
    int rounds = Integer.getInteger("rounds", 12);
    if (rounds <= WARM_ROUNDS) {
      throw new IllegalArgumentException("rounds must be more than " + WARM_ROUNDS);
    }
    ScaleState small = state(args[0], Integer.parseInt(args[1]));
    try {
      ScaleState large = state(args[0], Integer.parseInt(args[2]));
      try {
        double[] sums = new double[2];
        for (int round = 1; round <= rounds; round++) {
          double a = median(small);
          double b = median(large);
          System.out.printf(
              Locale.ROOT,
              "round %2d: %s %d %.2f us, %d %.2f us, ratio %.2f%s%n",
              round,
              args[0],
              small.entries,
              a,
              large.entries,
              b,
              b / a,
              round <= WARM_ROUNDS ? " (warm-up)" : "");
          if (round > WARM_ROUNDS) {
            sums[0] += a;
            sums[1] += b;
          }
        }
        int counted = rounds - WARM_ROUNDS;
        System.out.printf(
            Locale.ROOT,
            "mean of the medians of rounds %d-%d: %d entries %.2f us, %d entries %.2f us,"
                + " ratio %.3f%n",
            WARM_ROUNDS + 1,
            rounds,
            small.entries,
            sums[0] / counted,
            large.entries,
            sums[1] / counted,
            sums[1] / sums[0]);
      } finally {
        large.tearDown();
      }
    } finally {
      small.tearDown();
    }
  }

  private static ScaleState state(String storage, int entries) throws Exception {
    ScaleState state = new ScaleState();
    state.storage = storage;
    state.entries = entries;
    state.setUp();
    return state;
  }

  /** Sends one round of hits and returns their median, in microseconds. */
  private static double median(ScaleState state) throws Exception {
    long[] times = new long[PER_ROUND];
    long bytes = 0;
    for (int i = 0; i < PER_ROUND; i++) {
      long start = System.nanoTime();
      bytes += state.hit().length;
      times[i] = System.nanoTime() - start;
    }
    if (bytes != (long) PER_ROUND * Origin.BODY_SIZE) {
      throw new IllegalStateException("a hit returned a body of the wrong size");
    }
    Arrays.sort(times);
    return times[PER_ROUND / 2] / 1e3;
  }
}
