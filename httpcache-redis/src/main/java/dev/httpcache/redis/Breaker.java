package dev.httpcache.redis;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker in front of Redis, so that requests do not each wait a full timeout while Redis
 * is down.
 *
 * <p>Closed, every call goes through. A connection failure opens it for the back-off: calls are
 * refused at once with an {@link IOException}. When the back-off has passed, one call (the probe)
 * goes through while the others are still refused; if the probe reaches Redis the breaker closes,
 * and if it fails the breaker opens for another back-off. So caching resumes by itself, at most a
 * back-off after Redis returns.
 *
 * <p>Thread-safe. Closed, {@link #admit} is one volatile read.
 */
final class Breaker {
  private static final System.Logger LOG = System.getLogger(Breaker.class.getName());

  private final Duration backoff;
  private final InstantSource clock;
  private final String endpoint;

  /** When the breaker opened, or null while it is closed. */
  private volatile @Nullable Instant openUntil;

  private boolean probing; // guarded by this
  private String cause = ""; // guarded by this

  Breaker(Duration backoff, InstantSource clock, String endpoint) {
    this.backoff = backoff;
    this.clock = clock;
    this.endpoint = endpoint;
  }

  /**
   * Lets a call through, or refuses it while the breaker is open.
   *
   * @return whether this call is the probe, which must end with {@link #reachable}, {@link
   *     #unreachable} or {@link #endProbe}
   * @throws IOException when the call must not go to Redis now
   */
  boolean admit() throws IOException {
    if (openUntil == null) {
      return false;
    }
    synchronized (this) {
      Instant until = openUntil;
      if (until == null) {
        return false;
      }
      if (probing || clock.instant().isBefore(until)) {
        throw new IOException(
            "Redis at "
                + endpoint
                + " is skipped for up to "
                + backoff.toMillis()
                + " ms after a connection failure: "
                + cause);
      }
      probing = true;
      return true;
    }
  }

  /** Redis answered (even with an error reply): the breaker closes. */
  void reachable() {
    if (openUntil == null) {
      return;
    }
    synchronized (this) {
      if (openUntil != null) {
        openUntil = null;
        probing = false;
        LOG.log(Level.INFO, "Redis at {0} is reachable again; caching resumes", endpoint);
      }
    }
  }

  /**
   * Redis could not be reached: the breaker opens for the back-off.
   *
   * @return whether it was closed until now
   */
  synchronized boolean unreachable(String why) {
    boolean wasClosed = openUntil == null;
    openUntil = clock.instant().plus(backoff);
    probing = false;
    cause = why;
    if (wasClosed) {
      LOG.log(
          Level.WARNING,
          "Redis at {0} is unreachable ({1}); skipping it for {2} ms at a time until it answers",
          endpoint,
          why,
          String.valueOf(backoff.toMillis()));
    }
    return wasClosed;
  }

  /** Ends a probe that neither reached Redis nor failed to (a bug, an error of the JVM). */
  synchronized void endProbe() {
    probing = false;
  }

  /** Whether calls are being refused now, for tests and {@code toString}. */
  boolean isOpen() {
    return openUntil != null;
  }
}
