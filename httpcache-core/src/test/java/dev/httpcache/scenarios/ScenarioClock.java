package dev.httpcache.scenarios;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that the scenarios advance by hand; thread-safe. */
final class ScenarioClock implements InstantSource {
  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public Instant instant() {
    return now;
  }

  synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }
}
