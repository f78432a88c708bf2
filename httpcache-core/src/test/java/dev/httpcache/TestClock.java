package dev.httpcache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that tests advance by hand; thread-safe. */
public final class TestClock implements InstantSource {
  private volatile Instant now;

  public TestClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public TestClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }
}
