package dev.httpcache.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The body the origin of {@link SizedState#size} bytes sends, held as a {@code byte[]}: what the
 * baseline benchmark copies, so that a hit can be read against a plain copy of its body.
 */
@State(Scope.Thread)
public class CopyState extends SizedState {
  private byte[] body;

  /** Builds the body. */
  @Setup(Level.Trial)
  public void setUp() {
    body = Origin.body(size);
  }

  /** A plain copy of the body, as {@code Arrays.copyOf} makes it. */
  public byte[] copy() {
    return java.util.Arrays.copyOf(body, body.length);
  }
}
