package dev.httpcache.redis;

import java.util.concurrent.ThreadLocalRandom;

/** Random namespaces, so that tests on the shared server never meet each other's keys. */
final class Namespaces {
  private Namespaces() {}

  static String random() {
    return "test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }
}
