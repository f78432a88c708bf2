package dev.httpcache.benchmarks;

import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@link Storage#get} alone, on random keys of an existing SQLite cache file (for example one that
 * {@link ScaleBenchmark} filled), second by second: the median and p0.90 of each second and how
 * many reads it made. Not a JMH benchmark: the point is to see how a read's cost moves over time in
 * one JVM, which JMH's iterations average away.
 *
 * <pre>
 * java -Xms4g -Xmx4g -cp $J dev.httpcache.benchmarks.StorageReads /tmp/httpcache-bench-scale/sqlite-1000/http_cache.sqlite 15
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp $J dev.httpcache.benchmarks.StorageReads /tmp/httpcache-bench-scale/sqlite-1000/http_cache.sqlite 15
 * </pre>
 *
 * <p>This is how the benchmarks' first-touch effect was found (docs/benchmarks.md, "Conditions"):
 * without {@code -XX:+AlwaysPreTouch}, once G1 enlarges the young generation, every allocation that
 * reaches heap memory never used before takes a page fault, and a third of the reads of a 1
 * 000-entry file took 19 µs instead of 8.
 *
 * <p>Arguments: the file, the seconds to run; a third, a number of bytes, maps that much of the
 * file ({@link Storage#sqlite(Path, long)}).
 */
public final class StorageReads {
  /** How many keys, drawn at random among the file's, the reads go round. */
  private static final int POOL = 1 << 16;

  private StorageReads() {}

  /**
   * Reads for the given seconds and prints each second's figures.
   *
   * @param args file, seconds, and optionally the bytes to map
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: StorageReads <cache file> <seconds> [mmap bytes]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no cache file at " + file);
    }
    int seconds = Integer.parseInt(args[1]);
    long mapped = args.length == 3 ? Long.parseLong(args[2]) : 0;
    try (Storage storage = Storage.sqlite(file, mapped)) {
      List<String> keys = storage.keys(Namespace.RESPONSES);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no responses");
      }
      System.out.printf(Locale.ROOT, "%d responses in %s%n", keys.size(), file);
      Random random = new Random(42);
      String[] pool = new String[POOL];
      for (int i = 0; i < POOL; i++) {
        pool[i] = keys.get(random.nextInt(keys.size()));
      }
      long[] times = new long[4_000_000];
      long bytes = 0;
      int cursor = 0;
      for (int second = 0; second < seconds; second++) {
        long end = System.nanoTime() + 1_000_000_000L;
        int n = 0;
        while (n < times.length && System.nanoTime() < end) {
          String key = pool[cursor++ & (POOL - 1)];
          long start = System.nanoTime();
          byte[] value =
              storage
                  .get(Namespace.RESPONSES, key)
                  .orElseThrow(() -> new IllegalStateException("no value for " + key));
          times[n++] = System.nanoTime() - start;
          bytes += value.length;
        }
        long[] sorted = Arrays.copyOf(times, n);
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "second %2d: %7d reads, median %6.2f us, p0.90 %6.2f us%n",
            second,
            n,
            sorted[n / 2] / 1e3,
            sorted[(int) (n * 0.9)] / 1e3);
      }
      System.out.printf(Locale.ROOT, "%d bytes read%n", bytes);
    }
  }
}
