package dev.httpcache.benchmarks;

import dev.httpcache.HttpCache;
import dev.httpcache.jdk.CachedHttpClient;
import dev.httpcache.storage.Storage;
import dev.httpcache.storage.Storage.Namespace;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the heap that {@link Storage#inMemory()} holds per entry: fills a cache through {@link
 * CachedHttpClient} with {@code N} responses of a known body size fetched from the local {@link
 * Origin}, forces full collections until the used heap settles, and divides the growth by {@code
 * N}. Not a JMH benchmark: JMH's GC profiler reports allocation, not what stays reachable.
 *
 * <p>Two figures per run, each the used heap after collection minus the used heap before the
 * storage was created, divided by {@code N}:
 *
 * <ul>
 *   <li><b>storage</b>: with only the storage still reachable (the cache, the client and their
 *       memos dropped): what the memory storage itself costs per entry;
 *   <li><b>cache</b>: with the cache and client still reachable: the storage plus the engine's
 *       bounded memos of keys and decoded entries.
 * </ul>
 *
 * <p>Each is also given minus the body size, which is what the target bounds (at most 300
 * bytes), and beside the mean encoded entry as the storage counts it ({@link Storage#bytes}), so
 * that the share of the codec's encoding and of the storage's own structures can be told apart.
 *
 * <p>Run with one command (after {@code mvn -B -q -pl httpcache-benchmarks -am package
 * -DskipTests}):
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+UseSerialGC -cp httpcache-benchmarks/target/benchmarks.jar \
 *     dev.httpcache.benchmarks.HeapPerEntry 10000,100000 0,1024
 * </pre>
 *
 * <p>The arguments are the counts and the body sizes, comma-separated; the defaults are those
 * above. The serial collector compacts the whole heap on {@code System.gc()}, so "used" after it is
 * what is reachable; object sizes are those of any collector with compressed references (heaps
 * under 32 GB).
 */
public final class HeapPerEntry {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapPerEntry() {}

  /** One measurement. */
  record Result(
      int entries, int bodySize, double storageBytes, double cacheBytes, double encodedBytes) {}

  /**
   * Runs the measurements and prints a table.
   *
   * @param args counts, then body sizes, each comma-separated
   */
  public static void main(String[] args) throws Exception {
    int[] counts = ints(args.length > 0 ? args[0] : "10000,100000");
    int[] sizes = ints(args.length > 1 ? args[1] : "0,1024");
    // A first, discarded round loads and compiles what the measured ones use.
    measure(2000, 1024);
    List<Result> results = new ArrayList<>();
    for (int size : sizes) {
      for (int count : counts) {
        results.add(measure(count, size));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%n%-9s %-6s %14s %14s %14s %14s %14s%n",
        "entries",
        "body",
        "storage B/e",
        "minus body",
        "cache B/e",
        "minus body",
        "encoded B/e");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-9d %-6d %14.1f %14.1f %14.1f %14.1f %14.1f%n",
          r.entries(),
          r.bodySize(),
          r.storageBytes(),
          r.storageBytes() - r.bodySize(),
          r.cacheBytes(),
          r.cacheBytes() - r.bodySize(),
          r.encodedBytes());
    }
  }

  /** Fills a new memory storage with {@code entries} responses of {@code bodySize} bytes. */
  static Result measure(int entries, int bodySize) throws Exception {
    try (Origin origin = Origin.start(bodySize)) {
      String prefix = origin.uri("/e/").toString();
      List<URI> uris = new ArrayList<>(entries);
      for (int i = 0; i < entries; i++) {
        uris.add(URI.create(prefix + i));
      }
      long before = settledUsedHeap();
      Storage storage = Storage.inMemory();
      double cacheBytes;
      double encoded;
      {
        HttpCache cache =
            HttpCache.builder().storage(storage).expireAfter(Duration.ofDays(1)).build();
        CachedHttpClient client = CachedHttpClient.of(Clients.jdkClient(), cache);
        for (URI uri : uris) {
          HttpResponse<Void> response =
              client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode());
          }
        }
        long stored = storage.count(Namespace.RESPONSES);
        if (stored != entries || origin.requests() != entries) {
          throw new IllegalStateException(
              entries
                  + " requests stored "
                  + stored
                  + " entries with "
                  + origin.requests()
                  + " origin requests");
        }
        encoded = storage.bytes(Namespace.RESPONSES) / (double) entries;
        cacheBytes = (settledUsedHeap() - before) / (double) entries;
        reachable(cache);
        reachable(client);
      }
      // The cache and client are unreachable from here on; the storage stays.
      double storageBytes = (settledUsedHeap() - before) / (double) entries;
      if (storage.count(Namespace.RESPONSES) != entries) {
        throw new IllegalStateException("the storage lost entries");
      }
      reachable(uris);
      storage.close();
      return new Result(entries, bodySize, storageBytes, cacheBytes, encoded);
    }
  }

  /** Collects until the used heap stops shrinking, and returns it. */
  static long settledUsedHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      long now = MEMORY.getHeapMemoryUsage().getUsed();
      if (now >= used - 1024 && i >= 3) {
        return Math.min(now, used);
      }
      used = Math.min(now, used);
    }
    return used;
  }

  /** Keeps {@code o} reachable until here. */
  private static void reachable(Object o) {
    if (o.hashCode() == System.nanoTime()) {
      System.out.print("");
    }
  }

  private static int[] ints(String list) {
    String[] parts = list.split(",");
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Integer.parseInt(parts[i].trim());
    }
    return values;
  }
}
