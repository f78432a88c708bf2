package dev.httpcache.jdk;

/** Waits for the stock storages' clock of use (system milliseconds) to move on. */
final class StorageTimes {
  private StorageTimes() {}

  /**
   * Lets the time of use move on between two requests whose order of use a test checks: storages
   * stamp use with the system clock, which the test's own clock does not drive.
   */
  static void pause() {
    long until = System.currentTimeMillis() + 2;
    while (System.currentTimeMillis() < until) {
      Thread.onSpinWait();
    }
  }
}
