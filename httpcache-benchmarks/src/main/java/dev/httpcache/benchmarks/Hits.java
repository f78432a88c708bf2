package dev.httpcache.benchmarks;

import java.util.Arrays;

/**
 * The checks every state makes after priming its cache: that the second request was answered by the
 * cache, with the origin's whole body, and without the origin hearing of it. A failed check throws,
 * so that JMH reports the benchmark as failed rather than timing the network.
 */
final class Hits {
  private Hits() {}

  /**
   * Checks the answer to the priming request: a 200 with the origin's body, which reached the
   * origin exactly once.
   */
  static void requirePrimed(String client, Origin origin, int status, byte[] body) {
    if (status != 200) {
      throw new IllegalStateException(client + ": priming request answered " + status);
    }
    requireBody(client, origin, body);
    if (origin.requests() != 1) {
      throw new IllegalStateException(
          client + ": priming took " + origin.requests() + " origin requests, expected 1");
    }
  }

  /**
   * Checks the answer to the request after priming: the client says it came from its cache, the
   * body is the origin's, and the origin saw no request for it.
   *
   * @param originRequestsBefore what {@link Origin#requests()} returned before the request
   * @param hit whether the client itself reports the response as served from its cache
   * @param provenance what the client reports, for the message when the check fails
   */
  static void requireHit(
      String client,
      Origin origin,
      int originRequestsBefore,
      boolean hit,
      String provenance,
      byte[] body) {
    if (origin.requests() != originRequestsBefore) {
      throw new IllegalStateException(
          client
              + ": the request after priming reached the origin ("
              + originRequestsBefore
              + " -> "
              + origin.requests()
              + " requests); the benchmark would measure the network");
    }
    if (!hit) {
      throw new IllegalStateException(client + ": not a cache hit: " + provenance);
    }
    requireBody(client, origin, body);
  }

  /**
   * Checks, at tear-down, that no measured request reached the origin after priming.
   *
   * @param primed what {@link Origin#requests()} returned at the end of set-up
   */
  static void requireNoNetwork(String client, Origin origin, int primed) {
    if (origin.requests() != primed) {
      throw new IllegalStateException(
          client
              + ": "
              + (origin.requests() - primed)
              + " measured requests reached the origin; the figures include the network");
    }
  }

  /**
   * Checks, at the end of a measured iteration of a benchmark in which every operation must reach
   * the origin once (a miss, a revalidation, a plain request): the origin answered exactly {@code
   * operations} requests since {@code before}, and, when {@code notModified} is true, every one of
   * them with a 304.
   *
   * @param before what {@link Origin#requests()} returned when the iteration started
   * @param notModifiedBefore what {@link Origin#notModified()} returned then
   */
  static void requireOneRequestEach(
      String client,
      Origin origin,
      long operations,
      int before,
      int notModifiedBefore,
      boolean notModified) {
    long requests = origin.requests() - (long) before;
    if (requests != operations) {
      throw new IllegalStateException(
          client
              + ": "
              + operations
              + " operations made "
              + requests
              + " origin requests; each must make exactly one");
    }
    long answered304 = origin.notModified() - (long) notModifiedBefore;
    if (notModified && answered304 != operations) {
      throw new IllegalStateException(
          client
              + ": only "
              + answered304
              + " of "
              + operations
              + " requests were conditional requests answered 304; the rest fetched the body");
    }
    if (!notModified && answered304 != 0) {
      throw new IllegalStateException(
          client + ": " + answered304 + " requests were answered 304, none should have been");
    }
  }

  /** Checks that {@code body} is the whole body {@code origin} sends. */
  static void requireBody(String client, Origin origin, byte[] body) {
    if (body.length != origin.bodySize() || !Arrays.equals(body, origin.body())) {
      throw new IllegalStateException(
          client
              + ": body of "
              + body.length
              + " bytes differs from the origin's "
              + origin.bodySize());
    }
  }
}
