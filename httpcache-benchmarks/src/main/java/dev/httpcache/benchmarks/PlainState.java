package dev.httpcache.benchmarks;

import dev.httpcache.benchmarks.Clients.Client;
import java.net.URI;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A plain request, the baseline of a revalidation: a client without a cache sends a GET of the
 * fresh resource and reads the whole body of {@code size} bytes, a 200 every time. Proof at the end
 * of each iteration: the origin answered one request per operation, none with a 304. Shared by all
 * threads.
 */
@State(Scope.Benchmark)
public class PlainState extends SizedState {
  /** The client: {@code plain-jdk}, {@code plain-okhttp} or {@code plain-apache}. */
  @Param({"plain-jdk", "plain-okhttp", "plain-apache"})
  public String client = "plain-jdk";

  private final Resources resources = new Resources();
  private Origin origin;
  private Client opened;
  private URI uri;
  private int originBefore;
  private int notModifiedBefore;
  private long operations;

  /** Starts the origin and the client and checks that a request reaches the origin. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    try {
      origin = resources.add(Origin.start(size));
      opened = Clients.open(client, resources, false, "unused");
      if (opened.caches()) {
        throw new IllegalArgumentException(client + " has a cache; a plain client has none");
      }
      uri = origin.uri();
      Hits.requirePrimed(client, origin, 200, opened.get(uri));
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

  /** One plain request, its whole body read. */
  public byte[] request() throws Exception {
    operations++;
    return opened.get(uri);
  }

  /** Checks that each operation of the iteration was one request answered 200. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    Hits.requireOneRequestEach(client, origin, operations, originBefore, notModifiedBefore, false);
  }

  /** Returns the origin, for tests. */
  Origin origin() {
    return origin;
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    resources.close();
  }
}
