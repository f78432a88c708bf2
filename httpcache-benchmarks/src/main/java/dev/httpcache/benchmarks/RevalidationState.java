package dev.httpcache.benchmarks;

import dev.httpcache.HttpCache;
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
 * A revalidation: the stored response ({@value Origin#STALE_PATH}, {@code Cache-Control: no-cache}
 * with an {@code ETag}) must be revalidated before every use, so each operation sends a conditional
 * request ({@code If-None-Match}) that the origin answers {@code 304 Not Modified} without a body,
 * and the client serves the stored body. The httpcache clients are built with {@link
 * HttpCache#standard()} (RFC 9111), which honours {@code no-cache}; OkHttp's and Apache's caches do
 * so by default. (Why not {@code max-age=0}: see {@link Origin}.)
 *
 * <p>Proof: set-up primes the cache (one 200) and checks that the next request is a revalidation
 * (the client says so, the origin answered 304, the body is the origin's); at the end of each
 * iteration, the origin must have answered exactly one request per operation, every one with a 304.
 * Shared by all threads.
 */
@State(Scope.Benchmark)
public class RevalidationState extends SizedState {
  /** The client: a name of {@link Clients#NAMES} that has a cache. */
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
    "apache-cache"
  })
  public String client = "httpcache-memory";

  private final Resources resources = new Resources();
  private Origin origin;
  private Client opened;
  private URI uri;
  private int originBefore;
  private int notModifiedBefore;
  private long operations;

  /** Starts the origin and the client, primes the cache and checks one revalidation. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    try {
      origin = resources.add(Origin.start(size));
      opened = Clients.open(client, resources, true, "httpcache-benchmark-revalidation");
      if (!opened.caches()) {
        throw new IllegalArgumentException(client + " has no cache to revalidate");
      }
      uri = origin.uri(Origin.STALE_PATH);
      Answer first = opened.check(uri);
      Hits.requirePrimed(client, origin, 200, first.body());
      Answer second = opened.check(uri);
      Hits.requireBody(client, origin, second.body());
      if (second.source() != Source.REVALIDATED
          || origin.requests() != 2
          || origin.notModified() != 1) {
        throw new IllegalStateException(
            client
                + ": the request after priming was not a revalidation answered 304 ("
                + origin.requests()
                + " requests, "
                + origin.notModified()
                + " answered 304): "
                + second.provenance());
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

  /** Notes the origin's counters before each iteration. */
  @Setup(Level.Iteration)
  public void startIteration() {
    originBefore = origin.requests();
    notModifiedBefore = origin.notModified();
    operations = 0;
  }

  /** One revalidation: a GET of the stale resource, answered 304, its whole body read. */
  public byte[] revalidate() throws Exception {
    operations++;
    return opened.get(uri);
  }

  /** Checks that each operation of the iteration was one conditional request answered 304. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    Hits.requireOneRequestEach(client, origin, operations, originBefore, notModifiedBefore, true);
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
