package dev.httpcache.benchmarks;

import dev.httpcache.benchmarks.Clients.Answer;
import dev.httpcache.benchmarks.Clients.Client;
import dev.httpcache.benchmarks.Clients.Source;
import java.net.URI;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A stored miss: each operation is a GET of a URL the client has never seen ({@code /miss/0},
 * {@code /miss/1}, ...), fetched from the origin and, by a client with a cache, stored. The plain
 * clients ({@code plain-*}) send the same requests with no cache, which is the baseline.
 *
 * <p>Bounded: every iteration (warm-up ones too) starts from an empty cache, {@link Client#clear()}
 * in {@code @Setup(Level.Iteration)}, outside the measured time, so that a run stores at most one
 * iteration's worth of entries and measures the write into a storage of comparable size each time,
 * without eviction. Apache's storage has no way to be emptied; it bounds itself at 1 000 entries,
 * evicting the least recently used, as its users get it.
 *
 * <p>Proof, at the end of every iteration: the origin answered exactly one request per operation,
 * none of them a 304; a cache that counts holds exactly one entry per operation; and the last
 * operations' URLs (up to {@value #RECHECKED}) are now answered by the cache without the origin
 * hearing of them. Set-up checks one miss and the hit after it. One thread only: the counter is not
 * shared.
 */
@State(Scope.Benchmark)
public class MissState {
  /** How many of an iteration's last URLs tear-down asks for again, as hits. */
  static final int RECHECKED = 50;

  /** The client: a name of {@link Clients#NAMES}. */
  @Param({
    "httpcache-memory",
    "httpcache-sqlite",
    "httpcache-filesystem",
    "httpcache-redis",
    "httpcache-sqlite-wb",
    "httpcache-filesystem-wb",
    "httpcache-redis-wb",
    "interceptor-memory",
    "interceptor-sqlite",
    "okhttp-cache",
    "apache-cache",
    "plain-jdk",
    "plain-okhttp",
    "plain-apache"
  })
  public String client = "httpcache-memory";

  /**
   * The length of the body, in bytes: 1 KB only by default, since a 100 KB miss stores up to a
   * gigabyte an iteration in memory.
   */
  @Param({"1024"})
  public int size = Origin.BODY_SIZE;

  private final Resources resources = new Resources();
  private Origin origin;
  private Client opened;
  private String prefix;
  private long next;
  private long iterationStart;
  private int originBefore;
  private int notModifiedBefore;

  /**
   * Starts the origin and the client, and checks one miss (the origin answers it and, with a cache,
   * the next request for the URL is a hit).
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    try {
      origin = resources.add(Origin.start(size));
      opened = Clients.open(client, resources, false, "httpcache-benchmark-miss");
      prefix = origin.uri("/miss/").toString();
      URI first = origin.uri("/prime");
      Answer miss = opened.check(first);
      Hits.requirePrimed(client, origin, 200, miss.body());
      if (miss.source() != Source.NETWORK) {
        throw new IllegalStateException(client + ": the first request was not a miss: " + miss);
      }
      int before = origin.requests();
      Answer again = opened.check(first);
      if (opened.caches()) {
        Hits.requireHit(
            client, origin, before, again.source() == Source.HIT, again.provenance(), again.body());
      } else if (origin.requests() != before + 1 || again.source() != Source.NETWORK) {
        throw new IllegalStateException(client + ": a plain client's request was not sent");
      }
    } catch (Exception | Error e) {
      try {
        resources.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Empties the cache and notes the origin's counters, before each iteration. */
  @Setup(Level.Iteration)
  public void startIteration() throws Exception {
    opened.clear();
    iterationStart = next;
    originBefore = origin.requests();
    notModifiedBefore = origin.notModified();
  }

  /** One stored miss: a GET of a new URL, its whole body read. */
  public byte[] miss() throws Exception {
    return opened.get(URI.create(prefix + next++));
  }

  /**
   * Checks that each operation of the iteration reached the origin once and was stored, then asks
   * for the last URLs again and checks that the cache answers them.
   */
  @TearDown(Level.Iteration)
  public void endIteration() throws Exception {
    long operations = next - iterationStart;
    Hits.requireOneRequestEach(client, origin, operations, originBefore, notModifiedBefore, false);
    if (!opened.caches()) {
      return;
    }
    long stored = opened.stored();
    if (stored >= 0 && stored != operations) {
      throw new IllegalStateException(
          client + ": " + operations + " misses stored " + stored + " entries");
    }
    for (long i = Math.max(iterationStart, next - RECHECKED); i < next; i++) {
      int before = origin.requests();
      Answer answer = opened.check(URI.create(prefix + i));
      Hits.requireHit(
          client,
          origin,
          before,
          answer.source() == Source.HIT,
          answer.provenance(),
          answer.body());
    }
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /** Empties the cache (the Redis namespace would outlive the run) and closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      opened.clear();
    } finally {
      resources.close();
    }
  }
}
