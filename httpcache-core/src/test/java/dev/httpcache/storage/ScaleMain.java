package dev.httpcache.storage;

import dev.httpcache.storage.Storage.Item;
import dev.httpcache.storage.Storage.Namespace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A separate JVM, started with a small heap, that fills a storage with {@code n} entries and then
 * counts, scans, reads, evicts and purges them, printing one line per operation: {@code name millis
 * result}. That it finishes at all in a heap far smaller than the entries shows that no operation
 * holds every key or value at once.
 *
 * <pre>
 * args: sqlite|filesystem LOCATION ENTRIES
 * </pre>
 */
final class ScaleMain {
  static final Instant PAST = Instant.parse("2001-01-01T00:00:00Z");
  static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");
  static final int VALUE_BYTES = 256;

  private ScaleMain() {}

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[2]);
    try (Storage storage = open(args[0], Path.of(args[1]))) {
      byte[] value = new byte[VALUE_BYTES];
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        value[0] = (byte) i;
        storage.put(Namespace.RESPONSES, key(i), value, i % 2 == 0 ? PAST : FUTURE);
      }
      report("fill", start, n);

      start = System.nanoTime();
      long count = storage.count(Namespace.RESPONSES);
      report("count", start, count);

      start = System.nanoTime();
      long bytes = storage.bytes(Namespace.RESPONSES);
      report("bytes", start, bytes);

      start = System.nanoTime();
      long scanned = 0;
      long scannedBytes = 0;
      try (Storage.Cursor cursor = storage.scan(Namespace.RESPONSES)) {
        for (Optional<Item> item = cursor.next(); item.isPresent(); item = cursor.next()) {
          scanned++;
          scannedBytes += item.get().size();
        }
      }
      report("scan", start, scanned);
      if (scannedBytes != bytes) {
        throw new IllegalStateException("scan saw " + scannedBytes + " bytes, totals " + bytes);
      }

      int reads = 10_000;
      start = System.nanoTime();
      for (int i = 0; i < reads; i++) {
        if (storage.get(Namespace.RESPONSES, key((int) ((i * 7_919L) % n))).isEmpty()) {
          throw new IllegalStateException("lost an entry");
        }
      }
      report("get x" + reads, start, reads);

      start = System.nanoTime();
      List<String> evicted = storage.trim(n - n / 10, Long.MAX_VALUE);
      report("trim to 90%", start, evicted.size());

      start = System.nanoTime();
      storage.put(Namespace.RESPONSES, "one-more", value, null);
      List<String> again = storage.trim(n - n / 10, Long.MAX_VALUE);
      report("put+trim, nothing to evict", start, again.size());

      start = System.nanoTime();
      long purged =
          storage.removeExpired(Namespace.RESPONSES, Instant.parse("2026-01-01T00:00:00Z"));
      report("purge expired", start, purged);

      start = System.nanoTime();
      report("count", start, storage.count(Namespace.RESPONSES));
    }
    System.out.printf(Locale.ROOT, "heap max %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
  }

  static String key(int i) {
    return String.format(Locale.ROOT, "%064x", i);
  }

  private static Storage open(String kind, Path location) throws IOException {
    switch (kind) {
      case "sqlite":
        return Storage.sqlite(location);
      default:
        throw new IllegalArgumentException("unknown storage " + kind);
    }
  }

  private static void report(String operation, long startNanos, long result) {
    System.out.printf(
        Locale.ROOT,
        "%-28s %10.1f ms  %d%n",
        operation,
        (System.nanoTime() - startNanos) / 1e6,
        result);
  }

  /** Starts this class in a new JVM with the test class path and a heap of {@code heapMiB}. */
  static Process start(String kind, Path location, int entries, int heapMiB) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx" + heapMiB + "m",
            "-cp",
            System.getProperty("java.class.path"),
            ScaleMain.class.getName(),
            kind,
            location.toString(),
            String.valueOf(entries))
        .redirectErrorStream(true)
        .start();
  }
}
